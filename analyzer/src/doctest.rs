//! Doctests: the code blocks of doc comments that rustdoc runs as tests (docs/tests.md#doctests).
//!
//! Finds them as rustdoc does: each documented item's doc fragments (`///`, `//!`,
//! `#[doc = ".."]`, `/** */`, `#[doc = include_str!("..")]`) joined and unindented, read as
//! Markdown; fenced (```` ``` ````, `~~~`) and indented code blocks whose attributes make them
//! Rust. Names them as `cargo test --doc -- --list` prints them: `<file> - <item path> (line N)`,
//! the item path being rustdoc's (modules, items, impl blocks by their self type, without
//! spaces), the line the block's first line. Judges each body with the analyzer of other tests.

use crate::body::{self, BodyCtx};
use crate::cfg::{self, CfgEnv};
use crate::collect::RawTest;
use crate::scope::{CrateIndex, CrateScope};
use crate::source::SourceFile;
use crate::testattr::Row;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use quote::ToTokens;
use std::path::Path;
use std::rc::Rc;
use syn::{Attribute, Item};
use truecov_model::Config;
use truecov_model::{rules, TestCase};

/// Target label of doctests in reports.
pub use truecov_model::DOCTEST_TARGET as TARGET;

/// What a code block's info string says (rustdoc's `LangString`, the parts that matter here).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Lang {
    /// Rustdoc compiles it as a doctest.
    pub rust: bool,
    /// `ignore` (or an `ignore-<target>` matching this host): listed as ignored.
    pub ignore: bool,
    /// `should_panic`.
    pub should_panic: bool,
    /// `no_run`: compiled, never run.
    pub no_run: bool,
    /// `compile_fail`: must not compile, never run.
    pub compile_fail: bool,
}

impl Lang {
    /// Parses a fence's info string as rustdoc does: tokens split on `,`, spaces and tabs (a
    /// leading `.` dropped, `{..}` attribute groups skipped); a tag rustdoc does not know makes
    /// the block another language unless `rust` or a rustdoc tag came before it.
    pub(crate) fn parse(info: &str) -> Lang {
        let host = format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS);
        let mut lang = Lang {
            rust: true,
            ..Lang::default()
        };
        let (mut seen_rust, mut seen_other, mut custom) = (false, false, false);
        let info: String = strip_braces(info);
        let tokens = info
            .split([',', ' ', '\t'])
            .map(|t| t.trim().strip_prefix('.').unwrap_or(t.trim()))
            .filter(|t| !t.is_empty());
        for token in tokens {
            match token {
                "should_panic" => {
                    lang.should_panic = true;
                    seen_rust = !seen_other;
                }
                "no_run" => {
                    lang.no_run = true;
                    seen_rust = !seen_other;
                }
                "ignore" => {
                    lang.ignore = true;
                    seen_rust = !seen_other;
                }
                "rust" => seen_rust = true,
                "custom" => custom = true,
                "compile_fail" => {
                    lang.compile_fail = true;
                    lang.no_run = true;
                    seen_rust = !seen_other || seen_rust;
                }
                "test_harness" | "standalone_crate" => seen_rust = !seen_other || seen_rust,
                t if t.starts_with("ignore-") => {
                    lang.ignore |= host.contains(&t["ignore-".len()..]);
                    seen_rust = !seen_other;
                }
                t if t.starts_with("edition") => {}
                t if is_error_code(t) => seen_rust = !seen_other || seen_rust,
                _ => seen_other = true,
            }
        }
        lang.rust = !custom && (!seen_other || seen_rust);
        lang
    }

    /// Why the example runs no code, if it does not (`compile_fail`, `no_run`).
    pub(crate) fn runs_no_code(&self) -> Option<&'static str> {
        if self.compile_fail {
            Some("compile_fail example: runs no code")
        } else if self.no_run {
            Some("no_run example: runs no code")
        } else {
            None
        }
    }
}

/// The info string without `{ .. }` attribute groups.
fn strip_braces(info: &str) -> String {
    let mut depth = 0usize;
    info.chars()
        .filter(|&c| match c {
            '{' => {
                depth += 1;
                false
            }
            '}' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

/// `E` and four digits: a rustdoc error-code tag.
fn is_error_code(token: &str) -> bool {
    token.len() == 5 && token.starts_with('E') && token[1..].bytes().all(|b| b.is_ascii_digit())
}

/// One Rust code block of a doc text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CodeBlock {
    /// 0-based line of the block's start in the doc text.
    pub offset: usize,
    /// Its attributes.
    pub lang: Lang,
    /// The code rustdoc compiles: hidden (`# `) lines included, their `#` removed.
    pub code: String,
}

/// The Rust code blocks of a Markdown doc text, in order.
pub(crate) fn code_blocks(doc: &str) -> Vec<CodeBlock> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut out = Vec::new();
    let mut current: Option<(usize, Lang, String)> = None;
    for (event, range) in Parser::new_ext(doc, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => Lang::parse(&info),
                    CodeBlockKind::Indented => Lang::parse(""),
                };
                let offset = doc[..range.start].matches('\n').count();
                current = Some((offset, lang, String::new()));
            }
            Event::Text(text) => {
                if let Some((_, _, code)) = current.as_mut() {
                    code.push_str(&text);
                }
            }
            Event::End(Tag::CodeBlock(_)) => {
                if let Some((offset, lang, text)) = current.take() {
                    if lang.rust {
                        out.push(CodeBlock {
                            offset,
                            lang,
                            code: unhide(&text),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The code of a block as rustdoc compiles it: `# x` and a lone `#` are hidden lines (kept,
/// without the `#`), `##` is a literal `#`.
pub(crate) fn unhide(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let trimmed = line.trim();
            if trimmed.starts_with("##") {
                line.replacen("##", "#", 1)
            } else if let Some(rest) = trimmed
                .strip_prefix("# ")
                .or_else(|| trimmed.strip_prefix("#\t"))
            {
                rest.to_string()
            } else if trimmed == "#" {
                String::new()
            } else {
                line.to_string()
            }
        })
        .collect();
    lines.join("\n")
}

/// An item's documentation as rustdoc reads it: the fragments joined, one line per line, with
/// the source line of each.
#[derive(Debug, Default)]
struct DocText {
    text: String,
    /// Line of the first doc attribute: before edition 2024, rustdoc counts a block's line
    /// from there.
    base: u32,
    /// Where the first fragment and the last one start: from edition 2024, rustdoc counts a
    /// block's line from the earlier of the two ([`Numbering::Fragments`]).
    ends: (Origin, Origin),
    /// Source line of each line of `text`.
    lines: Vec<u32>,
}

/// Where a doc fragment's span starts, in the order of rustc's source map: a line of the
/// documented file, or the start of a file `include_str!` read (the path as written), which is
/// loaded after the file that includes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Origin {
    /// A line of the documented file.
    Line(u32),
    /// Line 1 of an included file.
    Included(String),
    /// No fragment yet.
    #[default]
    Nowhere,
}

/// How rustdoc numbers the doctests of a crate: the edition decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Numbering {
    /// Up to edition 2021: from the line of the item's first doc attribute.
    FirstAttribute,
    /// From edition 2024: from the span of the doc fragments, first to last, which starts at
    /// the earlier of the two in the source map; when that is a file `include_str!` read
    /// (a README as the crate's docs), the test is named after that file and its lines.
    Fragments,
}

impl Numbering {
    /// The numbering of a crate of `edition`.
    pub(crate) fn of_edition(edition: u16) -> Numbering {
        if edition >= 2024 {
            Numbering::Fragments
        } else {
            Numbering::FirstAttribute
        }
    }
}

/// How rustdoc names the doctests of one file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Naming<'a> {
    /// The file as rustdoc names it (relative to the workspace root, where cargo runs rustdoc).
    pub file: &'a str,
    /// How its lines are numbered.
    pub numbering: Numbering,
}

impl Naming<'_> {
    /// The file and line rustdoc counts the blocks of `doc` from.
    fn base(&self, doc: &DocText) -> (String, u32) {
        if self.numbering == Numbering::FirstAttribute {
            return (self.file.to_owned(), doc.base);
        }
        let start = match &doc.ends {
            (Origin::Line(a), Origin::Line(b)) => Origin::Line(*a.min(b)),
            (Origin::Included(_), Origin::Line(b)) => Origin::Line(*b),
            (first, _) => first.clone(),
        };
        match start {
            Origin::Line(line) => (self.file.to_owned(), line),
            // rustc names an included file by its path joined to the including file's
            // directory, as written (`src/../README.md`).
            Origin::Included(path) => match self.file.rsplit_once('/') {
                Some((dir, _)) => (format!("{dir}/{path}"), 1),
                None => (path, 1),
            },
            Origin::Nowhere => (self.file.to_owned(), doc.base),
        }
    }
}

/// Whether the attribute is written as a block doc comment (`/** */`, `/*! */`) in `file`.
fn is_block_comment(attr: &Attribute, file: &SourceFile) -> bool {
    let start = attr.pound_token.span.start();
    file.text
        .lines()
        .nth(start.line.saturating_sub(1))
        .map(|l| l.chars().skip(start.column).collect::<String>())
        .is_some_and(|rest| rest.starts_with("/**") || rest.starts_with("/*!"))
}

/// A block doc comment's text as rustdoc reads it: a first line of only `*` (or empty) and a
/// last line of only `*` dropped, the ` * ` margin removed when every line has one. Returns
/// the text and how many lines were dropped at the start.
fn beautify(text: &str) -> (String, u32) {
    let mut lines: Vec<&str> = text.split('\n').collect();
    let mut dropped = 0;
    if lines.len() > 1 && lines[0].chars().all(|c| c == '*') {
        lines.remove(0);
        dropped = 1;
    }
    if lines
        .last()
        .is_some_and(|l| !l.is_empty() && l.chars().all(|c| c == '*'))
    {
        lines.pop();
    }
    let margin = |l: &str| l.trim_start().starts_with('*');
    if lines.iter().any(|l| margin(l)) && lines.iter().all(|l| l.trim().is_empty() || margin(l)) {
        for l in lines.iter_mut() {
            *l = l.split_once('*').map_or("", |(_, rest)| rest);
        }
    }
    (lines.join("\n"), dropped)
}

/// The doc text of `attrs` (`dir` resolves `include_str!` paths), `None` without docs.
/// `cfg_attr(pred, doc = "..")` is a fragment when `pred` holds in `env`. A fragment of several
/// lines is trimmed as rustdoc trims it (see [`beautify`]): `#[doc = "\n```\n.."]` loses its
/// first, empty line, whether written as a block comment or a string.
fn doc_text(attrs: &[Attribute], dir: &Path, file: &SourceFile, env: &CfgEnv) -> Option<DocText> {
    let mut fragments: Vec<(u32, String)> = Vec::new();
    let mut base = None;
    let mut ends = (Origin::Nowhere, Origin::Nowhere);
    for attr in attrs {
        let line = attr.pound_token.span.start().line as u32;
        for meta in cfg::applied_metas(attr, env) {
            let syn::Meta::NameValue(nv) = &meta else {
                continue;
            };
            if !nv.path.is_ident("doc") {
                continue;
            }
            // A sugared comment's span is the comment's, a `doc = ` value's the value's.
            let (text, origin) = match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => (s.value(), Origin::Line(s.span().start().line as u32)),
                syn::Expr::Macro(m) if m.mac.path.is_ident("include_str") => {
                    let Ok(path) = m.mac.parse_body::<syn::LitStr>() else {
                        continue;
                    };
                    match std::fs::read_to_string(dir.join(path.value())) {
                        Ok(text) => (text, Origin::Included(path.value())),
                        Err(_) => continue,
                    }
                }
                _ => continue,
            };
            base.get_or_insert(line);
            if ends.0 == Origin::Nowhere {
                ends.0 = origin.clone();
            }
            ends.1 = origin;
            match &nv.value {
                syn::Expr::Lit(lit) if text.contains('\n') || is_block_comment(attr, file) => {
                    // The string's first line is its opening quote's.
                    let first = lit.lit.span().start().line as u32;
                    let (text, dropped) = beautify(&text);
                    fragments.push((first + dropped, text));
                }
                _ => fragments.push((line, text)),
            }
        }
    }
    if fragments.is_empty() {
        return None;
    }
    let indent = fragments
        .iter()
        .flat_map(|(_, t)| t.lines())
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut doc = DocText {
        base: base?,
        ends,
        ..DocText::default()
    };
    for (line, text) in &fragments {
        let mut n = 0;
        for l in text.lines() {
            doc.text.push_str(l.get(indent..).unwrap_or(l.trim_start()));
            doc.text.push('\n');
            doc.lines.push(line + n);
            n += 1;
        }
        if n == 0 {
            doc.text.push('\n');
            doc.lines.push(*line);
        }
    }
    Some(doc)
}

/// A doctest found in a file, before judging.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DocTest {
    /// The name `cargo test --doc -- --list` prints.
    pub name: String,
    /// The line in the name: the source line of the block's start.
    pub line: u32,
    /// Source line of each line of `code` (the block's lines in the file).
    pub code_lines: Vec<u32>,
    /// The block's attributes.
    pub lang: Lang,
    /// The code rustdoc compiles.
    pub code: String,
}

/// Finds the doctests of one file of a library: its inner docs (`//!`) belong to `module`, the
/// module the file is (empty at the crate root). `naming` says how rustdoc names them.
/// Items whose `#[cfg]` is false in `env` (rustdoc's: `doc` and `doctest` on, `test` off, the
/// enabled features) are skipped, and so are their examples; the paths of the `mod x;` so
/// skipped are returned.
pub(crate) fn find(
    file: &SourceFile,
    module: &[String],
    naming: Naming,
    env: &CfgEnv,
) -> (Vec<DocTest>, Vec<Vec<String>>) {
    let mut finder = Finder {
        file,
        dir: file.path.parent().unwrap_or(Path::new(".")),
        naming,
        env,
        path: module.to_vec(),
        out: Vec::new(),
        off_modules: Vec::new(),
    };
    finder.docs(&file.ast.attrs);
    finder.items(&file.ast.items);
    (finder.out, finder.off_modules)
}

struct Finder<'a> {
    file: &'a SourceFile,
    dir: &'a Path,
    naming: Naming<'a>,
    env: &'a CfgEnv,
    path: Vec<String>,
    out: Vec<DocTest>,
    off_modules: Vec<Vec<String>>,
}

impl Finder<'_> {
    fn docs(&mut self, attrs: &[Attribute]) {
        let Some(doc) = doc_text(attrs, self.dir, self.file, self.env) else {
            return;
        };
        let (name_file, base) = self.naming.base(&doc);
        let item_path: String = self.path.join("::").chars().filter(|c| *c != ' ').collect();
        let item_path = if item_path.is_empty() {
            item_path
        } else {
            format!("{item_path} ")
        };
        for block in code_blocks(&doc.text) {
            let named = base + block.offset as u32;
            // A test named after an included file is still at its place in this one.
            let line = if name_file == self.naming.file {
                named
            } else {
                doc.lines.get(block.offset).copied().unwrap_or(doc.base)
            };
            let first = block.offset + 1;
            let code_lines = (0..block.code.lines().count())
                .map(|i| doc.lines.get(first + i).copied().unwrap_or(line))
                .collect();
            self.out.push(DocTest {
                name: format!("{name_file} - {item_path}(line {named})"),
                line,
                code_lines,
                lang: block.lang,
                code: block.code,
            });
        }
    }

    /// Visits a named item: its docs and what `nested` finds inside, under its name.
    fn named(&mut self, name: String, attrs: &[Attribute], nested: impl FnOnce(&mut Self)) {
        if !cfg::enabled(attrs, self.env) {
            return;
        }
        self.path.push(name);
        self.docs(attrs);
        nested(self);
        self.path.pop();
    }

    fn items(&mut self, items: &[Item]) {
        for item in items {
            match cfg::cfg_if_items(item, Some(self.env)) {
                // The items of the branch rustdoc's build keeps, in the `cfg_if!`'s place.
                Some(kept) => self.items(&kept),
                None => self.item(item),
            }
        }
    }

    fn block_items(&mut self, block: &syn::Block) {
        for stmt in &block.stmts {
            if let syn::Stmt::Item(item) = stmt {
                self.item(item);
            }
        }
    }

    fn fields(&mut self, fields: &syn::Fields) {
        for (i, f) in fields.iter().enumerate() {
            let name = f.ident.as_ref().map_or(i.to_string(), |id| id.to_string());
            self.named(name, &f.attrs, |_| {});
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Fn(f) => self.named(f.sig.ident.to_string(), &f.attrs, |s| {
                s.block_items(&f.block)
            }),
            Item::Impl(imp) => {
                let name = imp.self_ty.to_token_stream().to_string();
                self.named(name, &imp.attrs, |s| {
                    for ii in &imp.items {
                        match ii {
                            syn::ImplItem::Fn(f) => {
                                s.named(f.sig.ident.to_string(), &f.attrs, |s| {
                                    s.block_items(&f.block)
                                })
                            }
                            syn::ImplItem::Const(c) => {
                                s.named(c.ident.to_string(), &c.attrs, |_| {})
                            }
                            syn::ImplItem::Type(t) => {
                                s.named(t.ident.to_string(), &t.attrs, |_| {})
                            }
                            _ => {}
                        }
                    }
                })
            }
            Item::Trait(t) => self.named(t.ident.to_string(), &t.attrs, |s| {
                for ti in &t.items {
                    match ti {
                        syn::TraitItem::Fn(f) => s.named(f.sig.ident.to_string(), &f.attrs, |s| {
                            if let Some(block) = &f.default {
                                s.block_items(block)
                            }
                        }),
                        syn::TraitItem::Const(c) => s.named(c.ident.to_string(), &c.attrs, |_| {}),
                        syn::TraitItem::Type(t) => s.named(t.ident.to_string(), &t.attrs, |_| {}),
                        _ => {}
                    }
                }
            }),
            Item::Struct(st) => {
                self.named(st.ident.to_string(), &st.attrs, |s| s.fields(&st.fields))
            }
            Item::Union(u) => self.named(u.ident.to_string(), &u.attrs, |s| {
                s.fields(&syn::Fields::Named(u.fields.clone()))
            }),
            Item::Enum(e) => self.named(e.ident.to_string(), &e.attrs, |s| {
                for v in &e.variants {
                    s.named(v.ident.to_string(), &v.attrs, |s| s.fields(&v.fields));
                }
            }),
            Item::Mod(m) if m.content.is_none() && !cfg::enabled(&m.attrs, self.env) => {
                let mut path = self.path.clone();
                path.push(m.ident.to_string());
                self.off_modules.push(path);
            }
            Item::Mod(m) => self.named(m.ident.to_string(), &m.attrs, |s| {
                if let Some((_, items)) = &m.content {
                    s.items(items);
                }
            }),
            Item::Macro(m) => {
                if let Some(ident) = &m.ident {
                    self.named(ident.to_string(), &m.attrs, |_| {});
                }
            }
            Item::Const(c) => self.named(c.ident.to_string(), &c.attrs, |_| {}),
            Item::Static(st) => self.named(st.ident.to_string(), &st.attrs, |_| {}),
            Item::Type(t) => self.named(t.ident.to_string(), &t.attrs, |_| {}),
            Item::TraitAlias(t) => self.named(t.ident.to_string(), &t.attrs, |_| {}),
            Item::ExternCrate(e) => self.named(e.ident.to_string(), &e.attrs, |_| {}),
            Item::ForeignMod(fm) => {
                if !cfg::enabled(&fm.attrs, self.env) {
                    return;
                }
                self.docs(&fm.attrs);
                for fi in &fm.items {
                    match fi {
                        syn::ForeignItem::Fn(f) => {
                            self.named(f.sig.ident.to_string(), &f.attrs, |_| {})
                        }
                        syn::ForeignItem::Static(st) => {
                            self.named(st.ident.to_string(), &st.attrs, |_| {})
                        }
                        syn::ForeignItem::Type(t) => {
                            self.named(t.ident.to_string(), &t.attrs, |_| {})
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// What judging a doctest needs: the configuration and the dependency crates whose calls are
/// not code under test.
pub(crate) struct JudgeCtx<'a> {
    /// Configuration.
    pub config: &'a Config,
    /// Dependency crates outside the workspace.
    pub external_crates: &'a [String],
    /// Workspace-relative file of the doctest.
    pub file: &'a str,
    /// The build rustdoc collects doctests in (`doc`, `doctest`, the enabled features).
    pub cfg: &'a CfgEnv,
    /// The workspace's library crates and their items: the code under test.
    pub index: &'a CrateIndex,
}

/// A doctest as a test to resolve: its body analyzed as rustdoc compiles it (in a `fn main`,
/// or the example's own `fn main`; a `Result` body when it ends in `(())`). `compile_fail` and
/// `no_run` examples run nothing: their body is not read. An example that does not parse is
/// judged on nothing, with a warning.
pub(crate) fn judge(test: &DocTest, ctx: &JudgeCtx) -> (RawTest, Option<String>) {
    let row = Row {
        suffix: Vec::new(),
        ignored: test.lang.ignore,
        should_panic: test.lang.should_panic,
        has_expectation: false,
    };
    let mut raw = RawTest {
        rows: vec![(test.name.clone(), row)],
        file: ctx.file.to_string(),
        line: test.line,
        facts: Default::default(),
        cfg_off: None,
        compiled_out: Vec::new(),
    };
    if test.lang.runs_no_code().is_some() {
        return (raw, None);
    }
    match analyze(test, ctx) {
        Ok((facts, compiled_out)) => {
            raw.facts = facts;
            raw.compiled_out = compiled_out;
            (raw, None)
        }
        // rustdoc does not compile an ignored example: it may be a sketch.
        Err(_) if test.lang.ignore => (raw, None),
        Err(e) => (
            raw,
            Some(format!(
                "doctest `{}` does not parse ({e}); judged on nothing",
                test.name
            )),
        ),
    }
}

/// The doctests of one library file, judged.
#[derive(Default)]
pub(crate) struct Found {
    /// One test per doctest.
    pub tests: Vec<RawTest>,
    /// Names of the doctests that run no code, with why (`compile_fail`, `no_run`).
    pub runs_no_code: Vec<(String, &'static str)>,
    /// Examples that do not parse.
    pub warnings: Vec<String>,
    /// Module paths (`mod x;`) whose `#[cfg]` is false: their files have no doctests.
    pub off_modules: Vec<Vec<String>>,
}

/// Finds and judges the doctests of one library file (see [`find`] and [`judge`]).
pub(crate) fn collect(
    file: &SourceFile,
    module: &[String],
    naming: Naming,
    ctx: &JudgeCtx,
) -> Found {
    let (tests, off_modules) = find(file, module, naming, ctx.cfg);
    let mut found = Found {
        off_modules,
        ..Found::default()
    };
    for test in tests {
        if let Some(why) = test.lang.runs_no_code() {
            found.runs_no_code.push((test.name.clone(), why));
        }
        let (raw, warning) = judge(&test, ctx);
        found.tests.push(raw);
        found.warnings.extend(warning);
    }
    found
}

/// A doctest's findings in its own words: an `ignore` example is no `#[ignore]`d function,
/// and one that runs no code (`runs_no_code`) says so where it checks nothing.
pub(crate) fn reword_findings(test: &mut TestCase, runs_no_code: Option<&str>) {
    for finding in &mut test.findings {
        if finding.rule == rules::IGNORED {
            finding.message = "`ignore` example: rustdoc does not run it".to_string();
        }
        if let Some(why) = runs_no_code.filter(|_| finding.rule == rules::NO_ORACLE) {
            finding.message = why.to_string();
        }
    }
}

/// The source text of a doctest laid out on its lines in the file (so that findings point at
/// them), `first` written on the line before the code and `last` after it.
fn laid_out(test: &DocTest, first: &str, last: &str) -> String {
    let mut text = String::new();
    let mut line = 1u32;
    let start = test.code_lines.first().copied().unwrap_or(test.line + 1);
    while line + 1 < start {
        text.push('\n');
        line += 1;
    }
    text.push_str(first);
    for (i, (code, &at)) in test.code.lines().zip(&test.code_lines).enumerate() {
        // One line each at least, wherever the doc put them (a file included as docs).
        if i > 0 {
            text.push('\n');
            line += 1;
        }
        while line < at {
            text.push('\n');
            line += 1;
        }
        text.push_str(code);
    }
    text.push('\n');
    text.push_str(last);
    text
}

/// The facts of a doctest's body, with the `cfg`s that take parts of it out of the build.
fn analyze(test: &DocTest, ctx: &JudgeCtx) -> Result<(body::BodyFacts, Vec<String>), String> {
    let parse = |text: String| SourceFile::parse(ctx.file.into(), ctx.file.to_string(), text);
    // An example with its own `fn main` is compiled as written.
    let own = parse(laid_out(test, "", ""))
        .ok()
        .filter(|f| main_fn(&f.ast.items).is_some());
    let (file, returns_value) = match own {
        Some(file) => {
            let returns = main_fn(&file.ast.items)
                .is_some_and(|m| !matches!(m.sig.output, syn::ReturnType::Default));
            (file, returns)
        }
        None => (
            parse(laid_out(test, "fn main() {", "}"))?,
            test.code.trim_end().ends_with("(())"),
        ),
    };
    let main = main_fn(&file.ast.items).ok_or("no `fn main`")?;
    // The example's binary is built with the crate's features, neither `test` nor `doctest`.
    let env = CfgEnv {
        features: ctx.cfg.features.clone(),
        ..CfgEnv::default()
    };
    let (main_block, compiled_out) = cfg::active_block(&main.block, &env);
    let items: Vec<Item> = file
        .ast
        .items
        .iter()
        .cloned()
        .chain(block_items(&main_block))
        .collect();
    let mut external = ctx.external_crates.to_vec();
    crate::body::taint::imported_names(&items, ctx.external_crates, &mut external);
    let scope = Rc::new(CrateScope::of_file(
        &file.ast,
        ctx.index,
        ctx.external_crates,
        false,
    ));
    let (block, inlined) = with_called_fns(&main_block, &items);
    // The inlined functions' bodies too.
    let (block, _) = cfg::active_block(&block, &env);
    let bctx = BodyCtx {
        config: ctx.config,
        name: "main",
        returns_value: returns_value
            || inlined
                .iter()
                .any(|f| !matches!(f.sig.output, syn::ReturnType::Default)),
        returns_bool: false,
        helper: false,
        fails_when_called: false,
        params: inlined
            .iter()
            .flat_map(|f| crate::collect::param_names(&f.sig))
            .collect(),
        file: &file,
        external: &external,
        scope: &scope,
    };
    Ok((body::analyze(&block, &bctx), compiled_out))
}

/// `main`'s body followed by the bodies of the example's own functions it calls, transitively
/// (`# fn run() -> Result<(), E> { .. }` then `# run().unwrap();`): their checks are the
/// example's. Returns the functions inlined.
fn with_called_fns<'i>(main: &syn::Block, items: &'i [Item]) -> (syn::Block, Vec<&'i syn::ItemFn>) {
    let local: Vec<&syn::ItemFn> = items
        .iter()
        .filter_map(|i| match i {
            Item::Fn(f) if f.sig.ident != "main" => Some(f),
            _ => None,
        })
        .collect();
    let mut block = main.clone();
    let mut inlined: Vec<&syn::ItemFn> = Vec::new();
    let mut todo = called_names(main);
    while let Some(name) = todo.pop() {
        let Some(f) = local.iter().find(|f| f.sig.ident == name) else {
            continue;
        };
        if inlined.iter().any(|g| g.sig.ident == name) {
            continue;
        }
        todo.extend(called_names(&f.block));
        block.stmts.push(syn::Stmt::Expr(
            syn::Expr::Block(syn::ExprBlock {
                attrs: Vec::new(),
                label: None,
                block: (*f.block).clone(),
            }),
            Some(Default::default()),
        ));
        inlined.push(f);
    }
    (block, inlined)
}

/// The items declared anywhere inside a block, nested blocks included (`{ fn check() { .. }
/// check(); }`, the block often being a `# #[cfg(feature = "x")] {` wrapper): the example's
/// own functions. A `fn main` declared in a block is one of them, not the example's entry
/// point: rustdoc looks for `main` at the top level only and wraps the rest in its own.
fn block_items(block: &syn::Block) -> Vec<Item> {
    struct Items(Vec<Item>);
    impl<'a> syn::visit::Visit<'a> for Items {
        fn visit_item(&mut self, item: &'a Item) {
            self.0.push(item.clone());
            syn::visit::visit_item(self, item);
        }
    }
    let mut items = Items(Vec::new());
    syn::visit::Visit::visit_block(&mut items, block);
    items.0
}

/// Plain names a block calls or passes as values (`run()`, `.map(check)`).
fn called_names(block: &syn::Block) -> Vec<String> {
    struct Names(Vec<String>);
    impl<'a> syn::visit::Visit<'a> for Names {
        fn visit_expr_path(&mut self, p: &'a syn::ExprPath) {
            if let Some(id) = p.path.get_ident() {
                self.0.push(id.to_string());
            }
        }
    }
    let mut names = Names(Vec::new());
    syn::visit::Visit::visit_block(&mut names, block);
    names.0
}

fn main_fn(items: &[Item]) -> Option<&syn::ItemFn> {
    items.iter().find_map(|i| match i {
        Item::Fn(f) if f.sig.ident == "main" => Some(f),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings_decide_rust_and_attributes_as_rustdoc_does() {
        assert!(Lang::parse("").rust);
        assert!(Lang::parse("rust,ignore").ignore);
        assert!(!Lang::parse("text").rust);
        assert!(!Lang::parse("sh").rust);
        assert!(!Lang::parse("text,should_panic").rust);
        assert!(Lang::parse("should_panic,text").rust);
        assert!(Lang::parse("rust,text").rust);
        assert!(!Lang::parse("custom").rust);
        let cf = Lang::parse("compile_fail,E0308");
        assert!(cf.rust && cf.compile_fail && cf.no_run);
        assert_eq!(
            cf.runs_no_code(),
            Some("compile_fail example: runs no code")
        );
        let nr = Lang::parse("no_run edition2021");
        assert!(nr.rust && nr.no_run && !nr.compile_fail);
        assert_eq!(nr.runs_no_code(), Some("no_run example: runs no code"));
        assert!(Lang::parse("{.class} should_panic").should_panic);
        assert!(!Lang::parse("ignore-nonexistent-os").ignore);
        assert!(Lang::parse(&format!("ignore-{}", std::env::consts::OS)).ignore);
    }

    #[test]
    fn block_comments_lose_their_first_empty_line_and_star_margin() {
        assert_eq!(
            beautify("\n * Doc.\n *\n * ```\n * x\n * ```\n "),
            (" Doc.\n\n ```\n x\n ```\n".to_string(), 1)
        );
        assert_eq!(
            beautify(" Plain.\n\n```\nx\n```\n"),
            (" Plain.\n\n```\nx\n```\n".to_string(), 0)
        );
    }

    #[test]
    fn items_rustdoc_does_not_see_have_no_doctests_and_names_follow_item_paths() {
        let text = [
            "/// ```",                      // 1
            "/// a();",                     // 2
            "/// ```",                      // 3
            "#[cfg(feature = \"on\")]",     // 4
            "pub fn a() {}",                // 5
            "/// ```",                      // 6
            "/// b();",                     // 7
            "/// ```",                      // 8
            "#[cfg(feature = \"off\")]",    // 9
            "pub fn b() {}",                // 10
            "#[cfg(test)]",                 // 11
            "mod tests {",                  // 12
            "    /// ```",                  // 13
            "    /// t();",                 // 14
            "    /// ```",                  // 15
            "    fn t() {}",                // 16
            "}",                            // 17
            "#[cfg(feature = \"off\")]",    // 18
            "mod gone;",                    // 19
            "impl<T: Clone> Wrap<T, u8> {", // 20
            "    /// ```",                  // 21
            "    /// c();",                 // 22
            "    /// ```",                  // 23
            "    fn c(&self) {}",           // 24
            "}",                            // 25
            "#[cfg(doc)]",                  // 26
            "/// ```",                      // 27
            "/// d();",                     // 28
            "/// ```",                      // 29
            "pub struct D;",                // 30
        ]
        .join("\n");
        let file = SourceFile::parse("src/lib.rs".into(), "src/lib.rs".into(), text).unwrap();
        let env = CfgEnv {
            test: false,
            features: vec!["on".into()],
            doc: true,
        };
        let naming = Naming {
            file: "src/lib.rs",
            numbering: Numbering::FirstAttribute,
        };
        let (tests, off) = find(&file, &[], naming, &env);
        let names: Vec<&str> = tests.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "src/lib.rs - a (line 1)",
                "src/lib.rs - Wrap<T,u8>::c (line 21)",
                "src/lib.rs - D (line 27)"
            ]
        );
        assert_eq!(off, vec![vec!["gone".to_string()]]);
    }

    #[test]
    fn each_code_line_stays_a_line_when_the_doc_maps_them_to_one_source_line() {
        let test = DocTest {
            name: "src/lib.rs - (line 1)".into(),
            line: 1,
            code_lines: vec![1, 1],
            lang: Lang::parse(""),
            code: "// a comment\nassert_eq!(krate::f(2), 4);".into(),
        };
        let config = Config::default();
        let env = CfgEnv::default();
        let index = CrateIndex {
            crates: vec!["krate".into()],
            ..CrateIndex::default()
        };
        let ctx = JudgeCtx {
            config: &config,
            external_crates: &[],
            file: "src/lib.rs",
            cfg: &env,
            index: &index,
        };
        let (raw, warning) = judge(&test, &ctx);
        assert_eq!(warning, None);
        let kinds: Vec<_> = raw.facts.checks.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [truecov_model::OracleKind::Meaningful]);
    }

    #[test]
    fn hidden_lines_are_compiled_without_their_hash() {
        assert_eq!(
            unhide("# use a::b;\nlet x = 1;\n#\n## not hidden\n    # fn f() {}"),
            "use a::b;\nlet x = 1;\n\n# not hidden\nfn f() {}"
        );
    }

    #[test]
    fn fenced_and_indented_blocks_are_found_on_their_lines() {
        let doc = "Intro.\n\n```\nlet a = 1;\n```\n\n~~~text\nnot rust\n~~~\n\n    let b = 2;\n\n```rust,no_run\nloop {}\n```\n";
        let blocks = code_blocks(doc);
        let found: Vec<(usize, &str, bool)> = blocks
            .iter()
            .map(|b| (b.offset, b.code.trim_end(), b.lang.no_run))
            .collect();
        assert_eq!(
            found,
            vec![
                (2, "let a = 1;", false),
                (10, "let b = 2;", false),
                (12, "loop {}", true)
            ]
        );
    }
}
