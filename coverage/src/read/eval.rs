//! Evaluation of a profile against a prepared binary mapping: counters and expressions into
//! region counts, region counts into per-file combined regions and line counts, following
//! `CoverageMapping::loadFunctionRecord` and `getCoverageForFile`.

use super::counts::{Evaluated, FileCounts};
use super::covfun::{Counter, Expression};
use super::error::ReadError;
use super::function::FunctionRecord;
use super::lines::line_counts;
use super::profraw::{IdMap, Lookup, Profile};
use super::region::{CountedRegion, RegionKind};
use truecov_model::Span;

/// Per function: what evaluation needs beyond the mapping.
#[derive(Debug, Clone)]
struct FunctionPlan {
    /// Expressions reachable from the regions, each after the expressions it uses.
    order: Vec<u32>,
    /// Largest counter id used by any evaluated counter (region counts and branch counts).
    max_counter: Option<u32>,
    /// Largest counter id used by region counts (LLVM sizes a missing function's zero counters
    /// by it).
    max_region_counter: u32,
    /// Index of the function's first region in the flat region list.
    first_region: usize,
}

/// One region of a file as evaluation sees it.
#[derive(Debug, Clone, Copy)]
struct RegionRef {
    function: u32,
    /// Index into the flat region list.
    region: u32,
    kind: RegionKind,
}

/// Regions of one file with one span, in kind order.
#[derive(Debug, Clone)]
struct Group {
    span: Span,
    refs: std::ops::Range<usize>,
}

/// Groups of one file, in LLVM's region order.
#[derive(Debug, Clone)]
struct FilePlan {
    file: u32,
    groups: Vec<Group>,
}

/// The evaluation of a profile without counts, and which functions it keeps.
#[derive(Debug, Clone, Default)]
pub(crate) struct Baseline {
    evaluated: Evaluated,
    live: Vec<bool>,
}

impl Baseline {
    /// Every file with its regions and lines, all counts zero.
    pub(crate) fn evaluated(&self) -> &Evaluated {
        &self.evaluated
    }
}

/// Everything about a binary that does not depend on counts, computed once.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    functions: Vec<FunctionPlan>,
    total_regions: usize,
    refs: Vec<RegionRef>,
    files: Vec<FilePlan>,
    by_name: IdMap<u32>,
}

impl Plan {
    /// Orders expressions (rejecting cycles), and sorts and groups every file's line regions.
    pub(crate) fn new(functions: &[FunctionRecord], n_files: usize) -> Result<Plan, ReadError> {
        let mut plans = Vec::with_capacity(functions.len());
        let mut per_file: Vec<Vec<(Span, RegionRef)>> = vec![Vec::new(); n_files];
        let mut by_name = IdMap::default();
        let mut total_regions = 0;
        for (fi, f) in functions.iter().enumerate() {
            by_name.insert(f.name_ref, fi as u32);
            let plan = plan_function(f, total_regions)?;
            for (ri, r) in f.regions.iter().enumerate() {
                if r.kind.is_line_region() {
                    per_file[r.file as usize].push((
                        r.span,
                        RegionRef {
                            function: fi as u32,
                            region: (total_regions + ri) as u32,
                            kind: r.kind,
                        },
                    ));
                }
            }
            total_regions += f.regions.len();
            plans.push(plan);
        }
        let mut refs = Vec::new();
        let mut files = Vec::new();
        for (file, mut regions) in per_file.into_iter().enumerate() {
            if regions.is_empty() {
                continue;
            }
            regions.sort_by_key(|(span, r)| {
                (
                    (span.start_line, span.start_col),
                    std::cmp::Reverse((span.end_line, span.end_col)),
                    r.kind,
                )
            });
            let mut groups: Vec<Group> = Vec::new();
            for (span, r) in regions {
                match groups.last_mut() {
                    Some(g) if g.span == span => g.refs.end += 1,
                    _ => groups.push(Group {
                        span,
                        refs: refs.len()..refs.len() + 1,
                    }),
                }
                refs.push(r);
            }
            files.push(FilePlan {
                file: file as u32,
                groups,
            });
        }
        Ok(Plan {
            functions: plans,
            total_regions,
            refs,
            files,
            by_name,
        })
    }
}

/// Orders the expressions reachable from the regions so each comes after its operands.
fn plan_function(f: &FunctionRecord, first_region: usize) -> Result<FunctionPlan, ReadError> {
    const UNSEEN: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let exprs = &f.expressions;
    let mut state = vec![UNSEEN; exprs.len()];
    let mut order = Vec::new();
    let mut max_counter: Option<u32> = None;
    let mut max_region_counter = 0;
    let note = |c: Counter, max: &mut Option<u32>| {
        if let Counter::Profile(id) = c {
            *max = Some(max.map_or(id, |m: u32| m.max(id)));
        }
    };
    let mut roots = Vec::new();
    for r in &f.regions {
        if r.kind == RegionKind::McdcDecision {
            continue;
        }
        roots.push(r.count);
        roots.push(r.false_count);
    }
    // Iterative depth-first search: (expression, operands pushed?).
    let mut stack: Vec<(u32, bool)> = Vec::new();
    for root in roots {
        note(root, &mut max_counter);
        let Counter::Expression(e) = root else {
            continue;
        };
        stack.push((e, false));
        while let Some((e, expanded)) = stack.pop() {
            let i = e as usize;
            if expanded {
                state[i] = DONE;
                order.push(e);
                continue;
            }
            match state[i] {
                DONE => continue,
                OPEN => {
                    return Err(ReadError::corrupt(
                        "__llvm_covfun function mapping",
                        0,
                        format!("expression {e} of {} depends on itself", f.name),
                    ))
                }
                _ => {}
            }
            state[i] = OPEN;
            stack.push((e, true));
            let Expression { lhs, rhs, .. } = exprs[i];
            for operand in [rhs, lhs] {
                note(operand, &mut max_counter);
                if let Counter::Expression(o) = operand {
                    match state[o as usize] {
                        DONE => {}
                        OPEN => {
                            return Err(ReadError::corrupt(
                                "__llvm_covfun function mapping",
                                0,
                                format!("expression {o} of {} depends on itself", f.name),
                            ))
                        }
                        _ => stack.push((o, false)),
                    }
                }
            }
        }
    }
    // LLVM's `getMaxCounterID`: the largest counter id under each region count, through
    // expressions (operands come first in `order`).
    let mut expr_max = vec![0u32; exprs.len()];
    let max_of = |c: Counter, expr_max: &[u32]| match c {
        Counter::Zero => 0,
        Counter::Profile(id) => id,
        Counter::Expression(e) => expr_max[e as usize],
    };
    for &e in &order {
        let x = exprs[e as usize];
        expr_max[e as usize] = max_of(x.lhs, &expr_max).max(max_of(x.rhs, &expr_max));
    }
    for r in &f.regions {
        max_region_counter = max_region_counter.max(max_of(r.count, &expr_max));
    }
    Ok(FunctionPlan {
        order,
        max_counter,
        max_region_counter,
        first_region,
    })
}

fn value(c: Counter, counts: &[u64], exprs: &[i64]) -> i64 {
    match c {
        Counter::Zero => 0,
        Counter::Profile(id) => counts.get(id as usize).map_or(0, |&v| v as i64),
        Counter::Expression(id) => exprs.get(id as usize).copied().unwrap_or(0),
    }
}

impl Plan {
    /// The evaluation of `functions` (this plan's) against `profile`, files that stay as in
    /// `baseline` copied from it.
    pub(crate) fn evaluate(
        &self,
        functions: &[FunctionRecord],
        files: &[String],
        profile: &Profile,
        baseline: &Baseline,
    ) -> Evaluated {
        let (region_counts, live) = self.region_counts(functions, profile);
        self.assemble(files, &region_counts, &live, Some(baseline))
    }

    /// The files in which `profile` counts something, with their combined regions only (no
    /// line counts): what a per-test decoder needs, without copying the files a test leaves
    /// at zero or deriving lines it derives again on the merged shape.
    pub(crate) fn ran(
        &self,
        functions: &[FunctionRecord],
        files: &[String],
        profile: &Profile,
    ) -> Evaluated {
        let (region_counts, live) = self.region_counts(functions, profile);
        let mut out = Evaluated::default();
        for fp in &self.files {
            if self
                .refs_of(fp)
                .iter()
                .all(|r| region_counts[r.region as usize] == 0)
            {
                continue;
            }
            let regions = self.file_regions(fp, &region_counts, &live);
            let file = FileCounts {
                regions,
                lines: Vec::new(),
            };
            out.files.insert(files[fp.file as usize].clone(), file);
        }
        out
    }

    /// The region references of one file.
    fn refs_of(&self, fp: &FilePlan) -> &[RegionRef] {
        &self.refs[fp.groups.first().map_or(0, |g| g.refs.start)
            ..fp.groups.last().map_or(0, |g| g.refs.end)]
    }

    /// One file's combined regions: per span, the first kind among live functions' regions,
    /// with the sum of their counts of that kind.
    fn file_regions(
        &self,
        fp: &FilePlan,
        region_counts: &[u64],
        live: &[bool],
    ) -> Vec<CountedRegion> {
        let mut regions = Vec::with_capacity(fp.groups.len());
        for g in &fp.groups {
            let mut kind = None;
            let mut sum = 0u64;
            for r in &self.refs[g.refs.clone()] {
                if !live[r.function as usize] || kind.is_some_and(|k| k != r.kind) {
                    continue;
                }
                kind = Some(r.kind);
                sum = sum.wrapping_add(region_counts[r.region as usize]);
            }
            if let Some(kind) = kind {
                regions.push(CountedRegion {
                    span: g.span,
                    kind,
                    count: sum,
                });
            }
        }
        regions
    }

    /// What evaluating a profile without counts gives: every file with zero counts. Files a test
    /// leaves at zero reuse it instead of building their segments again.
    pub(crate) fn baseline(&self, functions: &[FunctionRecord], files: &[String]) -> Baseline {
        let (region_counts, live) = self.region_counts(functions, &Profile::default());
        let evaluated = self.assemble(files, &region_counts, &live, None);
        Baseline { evaluated, live }
    }

    /// Whether a function of this plan has this `NameRef`.
    pub(crate) fn knows(&self, name_ref: u64) -> bool {
        self.by_name.contains_key(&name_ref)
    }

    /// Region counts (flat, all functions) and which functions LLVM keeps for this profile.
    fn region_counts(
        &self,
        functions: &[FunctionRecord],
        profile: &Profile,
    ) -> (Vec<u64>, Vec<bool>) {
        let plan = self;
        let mut region_counts = vec![0u64; plan.total_regions];
        let mut live = vec![false; functions.len()];
        let mut values: Vec<i64> = Vec::new();
        for (fi, (f, fp)) in functions.iter().zip(&plan.functions).enumerate() {
            let counts: &[u64] = match profile.lookup(f.name_ref, f.func_hash) {
                Lookup::Found(c) => c,
                // LLVM drops records whose hash the profile does not have under that name.
                Lookup::HashMismatch => continue,
                Lookup::Unknown => &[],
            };
            let len = if counts.is_empty() {
                // LLVM gives a missing function zero counters up to its largest region counter.
                fp.max_region_counter as usize + 1
            } else {
                counts.len()
            };
            // A counter beyond the profile's makes LLVM skip the whole function.
            if fp.max_counter.is_some_and(|m| m as usize >= len) {
                continue;
            }
            live[fi] = true;
            if counts.iter().all(|&c| c == 0) {
                continue; // every count stays zero
            }
            // A lone zero region of a function that ran elsewhere is an unused-TU placeholder.
            if f.regions.len() == 1 && f.regions[0].count == Counter::Zero && counts[0] > 0 {
                live[fi] = false;
                continue;
            }
            values.clear();
            values.resize(f.expressions.len(), 0);
            for &e in &fp.order {
                let x = f.expressions[e as usize];
                let l = value(x.lhs, counts, &values);
                let r = value(x.rhs, counts, &values);
                values[e as usize] = if x.add {
                    l.wrapping_add(r)
                } else {
                    l.wrapping_sub(r)
                };
            }
            for (slot, r) in region_counts[fp.first_region..].iter_mut().zip(&f.regions) {
                *slot = value(r.count, counts, &values) as u64;
            }
        }
        (region_counts, live)
    }

    /// Per file: combined regions and line counts; a file whose regions are all zero and whose
    /// functions are kept as in `baseline` is copied from it.
    fn assemble(
        &self,
        files: &[String],
        region_counts: &[u64],
        live: &[bool],
        baseline: Option<&Baseline>,
    ) -> Evaluated {
        let mut out = Evaluated::default();
        for fp in &self.files {
            let path = &files[fp.file as usize];
            let refs = self.refs_of(fp);
            if let Some(b) = baseline {
                let unchanged = refs.iter().all(|r| {
                    region_counts[r.region as usize] == 0
                        && live[r.function as usize] == b.live[r.function as usize]
                });
                if unchanged {
                    if let Some(file) = b.evaluated.files.get(path) {
                        out.files.insert(path.clone(), file.clone());
                    }
                    continue;
                }
            }
            let regions = self.file_regions(fp, region_counts, live);
            if regions.is_empty() {
                continue;
            }
            let lines = line_counts(&regions);
            out.files
                .insert(path.clone(), FileCounts { regions, lines });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::md5::hash64;
    use super::super::synth::{mapping, profile, region, sections};
    use super::*;
    use crate::read::binary::BinaryMapping;
    use crate::read::error::EvalError;

    const C0: u64 = 1; // counter 0
    const C1: u64 = 5; // counter 1
    const C2: u64 = 9; // counter 2

    fn sub(e: u64) -> u64 {
        e << 2 | 2
    }

    fn add(e: u64) -> u64 {
        e << 2 | 3
    }

    fn binary(functions: &[(&str, u64, Vec<u8>)]) -> Result<BinaryMapping, ReadError> {
        let (names, covmap, covfun) = sections(functions);
        BinaryMapping::from_sections(Some(vec![7; 20]), &names, &covmap, &covfun)
    }

    /// f: region 1 = c0, region 2 = c0 - c1, region 3 = (c0 - c1) + c2.
    fn arithmetic() -> Vec<u8> {
        let mut r = Vec::new();
        region(&mut r, C0, 1, (1, 2), 4);
        region(&mut r, sub(0), 1, (5, 9), 0);
        region(&mut r, add(1), 1, (5, 9), 0);
        mapping(&[(C0, C1), (sub(0), C2)], 3, &r)
    }

    fn counts(e: &Evaluated) -> Vec<u64> {
        e.files["/src/lib.rs"]
            .regions
            .iter()
            .map(|r| r.count)
            .collect()
    }

    #[test]
    fn expressions_evaluate_in_dependency_order() {
        let m = binary(&[("f", 9, arithmetic())]).unwrap();
        let p = Profile::parse(&profile(
            10,
            &[(hash64(b"f"), 9, vec![10, 3, 100])],
            &[7; 20],
        ))
        .unwrap();
        let e = m.evaluate(&p).unwrap();
        assert_eq!(counts(&e), [10, 7, 107]);
        // A line counts the larger of the wrapped count and the regions starting on it.
        let lines: Vec<_> = e.files["/src/lib.rs"]
            .lines
            .iter()
            .map(|l| (l.line, l.count))
            .collect();
        assert_eq!(lines, [(1, 10), (2, 10), (3, 107), (4, 10), (5, 10)]);
    }

    #[test]
    fn subtraction_below_zero_wraps_like_llvm() {
        let m = binary(&[("f", 9, arithmetic())]).unwrap();
        let p = Profile::parse(&profile(10, &[(hash64(b"f"), 9, vec![1, 3, 0])], &[])).unwrap();
        assert_eq!(counts(&m.evaluate(&p).unwrap())[1], (-2i64) as u64);
    }

    #[test]
    fn expression_cycles_are_rejected() {
        let mut r = Vec::new();
        region(&mut r, add(0), 1, (1, 2), 0);
        let cyclic = mapping(&[(add(1), C0), (sub(0), C0)], 1, &r);
        let err = binary(&[("f", 9, cyclic)]).unwrap_err();
        assert!(err.to_string().contains("depends on itself"), "{err}");
        let mut r = Vec::new();
        region(&mut r, add(0), 1, (1, 2), 0);
        let self_ref = mapping(&[(add(0), C0)], 1, &r);
        assert!(binary(&[("f", 9, self_ref)]).is_err());
    }

    #[test]
    fn out_of_range_ids_are_rejected_or_skip_the_function() {
        let mut r = Vec::new();
        region(&mut r, add(5), 1, (1, 2), 0);
        let bad_expr = mapping(&[(C0, C1)], 1, &r);
        assert!(matches!(
            binary(&[("f", 9, bad_expr)]),
            Err(ReadError::Corrupt { .. })
        ));
        // Counter 2 needs three counters; the profile has two: LLVM drops the function.
        let m = binary(&[("f", 9, arithmetic()), ("g", 4, arithmetic())]).unwrap();
        let p = Profile::parse(&profile(
            10,
            &[
                (hash64(b"f"), 9, vec![1, 1]),
                (hash64(b"g"), 4, vec![1, 1, 1]),
            ],
            &[],
        ))
        .unwrap();
        assert_eq!(counts(&m.evaluate(&p).unwrap()), [1, 0, 1]);
    }

    #[test]
    fn ran_gives_the_counted_files_regions_and_nothing_for_a_profile_at_zero() {
        let m = binary(&[("f", 9, arithmetic()), ("g", 4, arithmetic())]).unwrap();
        let both = Profile::parse(&profile(
            10,
            &[
                (hash64(b"f"), 9, vec![5, 2, 1]),
                (hash64(b"g"), 4, vec![1, 0, 0]),
            ],
            &[],
        ))
        .unwrap();
        let full = m.evaluate(&both).unwrap();
        let ran = m.ran(&both).unwrap();
        assert_eq!(ran.files.len(), full.files.len());
        for (path, file) in &ran.files {
            assert_eq!(file.regions, full.files[path].regions);
            assert!(file.lines.is_empty());
        }
        // Per region, f + g: c0, c0 - c1, (c0 - c1) + c2.
        assert_eq!(counts(&ran), [5 + 1, 3 + 1, 4 + 1]);
        let idle = Profile::parse(&profile(10, &[(hash64(b"g"), 4, vec![0, 0, 0])], &[])).unwrap();
        assert!(m.ran(&idle).unwrap().files.is_empty());
        assert!(!m.evaluate(&idle).unwrap().files.is_empty());
    }

    #[test]
    fn hash_mismatch_drops_and_unknown_functions_count_zero() {
        let m = binary(&[("f", 9, arithmetic()), ("g", 4, arithmetic())]).unwrap();
        let mismatch = Profile::parse(&profile(
            10,
            &[
                (hash64(b"f"), 8, vec![5, 5, 5]),
                (hash64(b"g"), 4, vec![1, 0, 0]),
            ],
            &[],
        ))
        .unwrap();
        assert_eq!(counts(&m.evaluate(&mismatch).unwrap()), [1, 1, 1]);
        let only_g =
            Profile::parse(&profile(10, &[(hash64(b"g"), 4, vec![2, 1, 0])], &[])).unwrap();
        assert_eq!(counts(&m.evaluate(&only_g).unwrap()), [2, 1, 1]);
    }

    #[test]
    fn missing_functions_get_counters_up_to_those_under_expressions() {
        // f's direct region counter is 0 but its expressions use counters 1 and 2: LLVM sizes
        // the zero counters of a function missing from the profile through the expressions.
        let mut r = Vec::new();
        region(&mut r, C0, 20, (1, 2), 0);
        let g = mapping(&[], 1, &r);
        let m = binary(&[("f", 9, arithmetic()), ("g", 4, g)]).unwrap();
        let only_g = Profile::parse(&profile(10, &[(hash64(b"g"), 4, vec![3])], &[])).unwrap();
        assert_eq!(counts(&m.evaluate(&only_g).unwrap()), [0, 0, 0, 3]);
    }

    #[test]
    fn profiles_of_other_binaries_are_rejected() {
        let m = binary(&[("f", 9, arithmetic())]).unwrap();
        let other_id =
            Profile::parse(&profile(10, &[(hash64(b"f"), 9, vec![1, 0, 0])], &[8; 20])).unwrap();
        let err = m.evaluate(&other_id).unwrap_err();
        assert!(matches!(err, EvalError::BinaryIdMismatch { .. }));
        assert!(err.to_string().contains(&"07".repeat(20)), "{err}");
        let other_names = Profile::parse(&profile(10, &[(hash64(b"h"), 9, vec![1])], &[])).unwrap();
        assert!(matches!(
            m.evaluate(&other_names),
            Err(EvalError::NoCommonFunctions(1))
        ));
    }
}
