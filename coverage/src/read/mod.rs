//! Native readers of LLVM coverage data: mappings from test binaries, `.profraw` profiles, and
//! their evaluation into region and line counts.
