//! A test binary's coverage mapping, read once from its ELF sections into a structure that
//! evaluates profiles quickly (see [`BinaryMapping::evaluate`]).

use super::covfun::{decode_mapping, parse_records, Counter, Expression};
use super::covmap::parse_covmap;
use super::error::ReadError;
use super::eval::{Baseline, Plan};
use super::names::{demangle, parse_names};
use super::region::RegionKind;
use object::{Object, ObjectSection};
use std::path::Path;
use truecov_model::Span;

/// One mapping region of a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedRegion {
    /// Source file: index into [`BinaryMapping::files`].
    pub file: u32,
    /// Where the region is.
    pub span: Span,
    /// What kind of region it is.
    pub kind: RegionKind,
    /// For expansion regions, the expanded file (index into [`BinaryMapping::files`]).
    pub expanded_file: Option<u32>,
    pub(crate) count: Counter,
    pub(crate) false_count: Counter,
}

/// The coverage mapping of one function (one instantiation; generic functions have one record
/// per instantiation, each with its own mangled name).
#[derive(Clone, Debug)]
pub struct FunctionRecord {
    /// Mangled symbol name.
    pub name: String,
    /// Demangled name (v0 or legacy), without hash suffix.
    pub demangled: String,
    /// MD5-64 of the mangled name: how profiles refer to the function.
    pub name_ref: u64,
    /// Structural hash; 0 marks a function that was not instantiated (no counters).
    pub func_hash: u64,
    /// The function's files (file id -> index into [`BinaryMapping::files`]); entry 0 is the
    /// file that defines it unless an expansion says otherwise.
    pub files: Vec<u32>,
    /// Mapping regions in encoded order.
    pub regions: Vec<MappedRegion>,
    pub(crate) expressions: Vec<Expression>,
}

/// The coverage mapping of a test binary: its function records, source files and build id,
/// prepared so that evaluating one test's profile costs little.
#[derive(Debug)]
pub struct BinaryMapping {
    build_id: Option<Vec<u8>>,
    version: u32,
    files: Vec<String>,
    functions: Vec<FunctionRecord>,
    pub(crate) plan: Plan,
    pub(crate) baseline: Baseline,
}

fn section<'a>(file: &object::File<'a>, name: &'static str) -> Result<&'a [u8], ReadError> {
    let s = file
        .section_by_name(name)
        .ok_or(ReadError::MissingSection(name))?;
    s.data()
        .map_err(|e| ReadError::Object(format!("section {name}: {e}")))
}

impl BinaryMapping {
    /// Reads the mapping of the binary at `path`.
    pub fn from_path(path: &Path) -> Result<BinaryMapping, ReadError> {
        let data = std::fs::read(path).map_err(|source| ReadError::Io {
            path: path.to_owned(),
            source,
        })?;
        BinaryMapping::from_bytes(&data)
    }

    /// Reads the mapping of an in-memory binary (ELF; any object format `object` reads that has
    /// the LLVM coverage sections under their ELF names).
    pub fn from_bytes(data: &[u8]) -> Result<BinaryMapping, ReadError> {
        let file = object::File::parse(data).map_err(|e| ReadError::Object(e.to_string()))?;
        if !file.is_little_endian() {
            return Err(ReadError::ForeignEndian);
        }
        let build_id = file
            .build_id()
            .map_err(|e| ReadError::Object(format!("build id note: {e}")))?
            .map(<[u8]>::to_vec);
        // Without runtime names (binary correlation), LLVM keeps them in `__llvm_covnames`.
        let names = section(&file, "__llvm_prf_names")
            .or_else(|e| section(&file, "__llvm_covnames").map_err(|_| e))?;
        let covmap = section(&file, "__llvm_covmap")?;
        let covfun = section(&file, "__llvm_covfun")?;
        BinaryMapping::from_sections(build_id, names, covmap, covfun)
    }

    /// Builds the mapping from the raw contents of the three coverage sections.
    pub fn from_sections(
        build_id: Option<Vec<u8>>,
        names: &[u8],
        covmap: &[u8],
        covfun: &[u8],
    ) -> Result<BinaryMapping, ReadError> {
        let names = parse_names(names)?;
        let (tables, version) = parse_covmap(covmap)?;
        let records = parse_records(covfun, &tables)?;
        let mut functions = Vec::with_capacity(records.len());
        for record in &records {
            let name = names.get(&record.name_ref).ok_or_else(|| {
                ReadError::corrupt(
                    "__llvm_covfun",
                    record.offset,
                    format!("function NameRef {:#x} has no name", record.name_ref),
                )
            })?;
            let mapping = decode_mapping(record)?;
            let regions = mapping
                .regions
                .iter()
                .map(|r| MappedRegion {
                    file: mapping.files[r.file_id as usize],
                    span: Span {
                        start_line: r.start.0,
                        start_col: r.start.1,
                        end_line: r.end.0,
                        end_col: r.end.1,
                    },
                    kind: r.kind,
                    expanded_file: r.expanded_file_id.map(|f| mapping.files[f as usize]),
                    count: r.count,
                    false_count: r.false_count,
                })
                .collect();
            functions.push(FunctionRecord {
                demangled: demangle(name),
                name: name.clone(),
                name_ref: record.name_ref,
                func_hash: record.func_hash,
                files: mapping.files,
                regions,
                expressions: mapping.expressions,
            });
        }
        let plan = Plan::new(&functions, tables.files.len())?;
        let mut mapping = BinaryMapping {
            build_id,
            version,
            files: tables.files,
            functions,
            plan,
            baseline: Baseline::default(),
        };
        mapping.baseline = mapping.zero_baseline();
        Ok(mapping)
    }

    /// The mapping of a binary with no instrumented code: no files, no functions. Its profiles
    /// evaluate to nothing.
    pub fn empty() -> BinaryMapping {
        BinaryMapping {
            build_id: None,
            version: 0,
            files: Vec::new(),
            functions: Vec::new(),
            plan: Plan::new(&[], 0).expect("an empty plan is valid"),
            baseline: Baseline::default(),
        }
    }

    /// The ELF build id (`NT_GNU_BUILD_ID`), which the binary's profiles carry as binary id.
    pub fn build_id(&self) -> Option<&[u8]> {
        self.build_id.as_deref()
    }

    /// Coverage mapping format version (`__llvm_covmap` header value; 6 = Version7).
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Every source file of the mapping, as recorded (absolute for Rust builds).
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// One record per function (`NameRef`), in section order.
    pub fn functions(&self) -> &[FunctionRecord] {
        &self.functions
    }
}

/// Lower-case hex of a build id.
pub fn hex(id: &[u8]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}
