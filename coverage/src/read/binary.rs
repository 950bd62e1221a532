//! A test binary's coverage mapping, read once from its ELF sections into a structure that
//! evaluates profiles quickly (see [`BinaryMapping::evaluate`]).

use super::counts::Evaluated;
use super::covfun::{decode_mapping, parse_records};
use super::covmap::parse_covmap;
use super::error::{EvalError, ReadError};
use super::eval::{Baseline, Plan};
use super::function::{FunctionRecord, MappedRegion};
use super::names::{demangle, parse_names};
use super::profraw::Profile;
use object::{Object, ObjectSection};
use std::path::Path;
use truecov_model::Span;

/// The coverage mapping of a test binary: its function records, source files and build id,
/// prepared so that evaluating one test's profile costs little.
#[derive(Debug)]
pub struct BinaryMapping {
    build_id: Option<Vec<u8>>,
    version: u32,
    files: Vec<String>,
    functions: Vec<FunctionRecord>,
    plan: Plan,
    baseline: Baseline,
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
        let baseline = plan.baseline(&functions, &tables.files);
        Ok(BinaryMapping {
            build_id,
            version,
            files: tables.files,
            functions,
            plan,
            baseline,
        })
    }

    /// The same mapping without the functions `drop` picks (a doctest's own code, which rustdoc
    /// maps onto the documented file's comment lines): their profile counters are then ignored
    /// and their regions count nowhere.
    pub fn without(
        &self,
        drop: impl Fn(&FunctionRecord) -> bool,
    ) -> Result<BinaryMapping, ReadError> {
        let functions: Vec<FunctionRecord> = self
            .functions
            .iter()
            .filter(|f| !drop(f))
            .cloned()
            .collect();
        let plan = Plan::new(&functions, self.files.len())?;
        let baseline = plan.baseline(&functions, &self.files);
        Ok(BinaryMapping {
            build_id: self.build_id.clone(),
            version: self.version,
            files: self.files.clone(),
            functions,
            plan,
            baseline,
        })
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

    /// Evaluates one profile of this binary: region counts per function, then per source file the
    /// combined regions and mapped lines with their counts, as `llvm-cov export` reports them for
    /// this binary and profile.
    ///
    /// Fails when the profile was written by another binary (build id differs, or no function in
    /// common), since its counters would silently decode as zeros.
    /// A mapping without functions evaluates every profile to nothing.
    pub fn evaluate(&self, profile: &Profile) -> Result<Evaluated, EvalError> {
        if self.functions.is_empty() {
            return Ok(Evaluated::default());
        }
        self.check_pairing(profile)?;
        Ok(self
            .plan
            .evaluate(&self.functions, &self.files, profile, &self.baseline))
    }

    /// The files in which one profile of this binary counts something, with their combined
    /// regions as [`BinaryMapping::evaluate`] gives them and no line counts: a test's share of
    /// the coverage, whose lines the caller derives on the merged regions of every binary.
    /// Fails as `evaluate` does.
    pub fn ran(&self, profile: &Profile) -> Result<Evaluated, EvalError> {
        if self.functions.is_empty() {
            return Ok(Evaluated::default());
        }
        self.check_pairing(profile)?;
        Ok(self.plan.ran(&self.functions, &self.files, profile))
    }

    /// Every file of this binary with its regions and coverable lines, all counts zero: the
    /// shape of the coverage, whatever the tests ran.
    pub fn zero(&self) -> &Evaluated {
        self.baseline.evaluated()
    }

    fn check_pairing(&self, profile: &Profile) -> Result<(), EvalError> {
        if let Some(id) = self.build_id() {
            let ids = profile.binary_ids();
            if !ids.is_empty() && !ids.iter().any(|p| p == id) {
                return Err(EvalError::BinaryIdMismatch {
                    profile: ids.iter().map(|p| hex(p)).collect::<Vec<_>>().join(", "),
                    binary: hex(id),
                });
            }
        }
        if !profile.is_empty() && !profile.name_refs().any(|n| self.plan.knows(n)) {
            return Err(EvalError::NoCommonFunctions(profile.len()));
        }
        Ok(())
    }
}

/// Lower-case hex of a build id.
pub fn hex(id: &[u8]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}
