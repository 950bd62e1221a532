//! The workflows of docs/ci.md are meant to be copied: each ```yaml block must be a GitHub
//! Actions workflow (valid YAML, triggers, jobs whose steps each use an action or run a
//! command), and the pull-request comment workflow must find its comment by the marker the
//! comment starts with.

mod common;

use yaml_rust2::{Yaml, YamlLoader};

fn workflows() -> Vec<(String, Yaml)> {
    let text = std::fs::read_to_string(common::repo().join("docs/ci.md")).unwrap();
    text.split("```yaml\n")
        .skip(1)
        .map(|block| {
            let source = block.split("```").next().unwrap_or_default().to_string();
            let mut docs = YamlLoader::load_from_str(&source)
                .unwrap_or_else(|e| panic!("invalid YAML ({e}):\n{source}"));
            assert_eq!(docs.len(), 1, "one document per block:\n{source}");
            (source, docs.remove(0))
        })
        .collect()
}

/// The part numbers of the `shard` matrix of `job` in workflow `w`.
fn matrix_parts(w: &Yaml, job: &str) -> Vec<i64> {
    w["jobs"][job]["strategy"]["matrix"]["shard"]
        .as_vec()
        .expect("a matrix of parts")
        .iter()
        .filter_map(Yaml::as_i64)
        .collect()
}

#[test]
fn every_workflow_in_the_ci_guide_is_valid_and_complete() {
    let all = workflows();
    assert!(all.len() >= 2, "{} workflows", all.len());
    for (source, w) in &all {
        assert!(w["name"].as_str().is_some(), "no name:\n{source}");
        assert!(!w["on"].is_badvalue(), "no trigger:\n{source}");
        let jobs = w["jobs"]
            .as_hash()
            .unwrap_or_else(|| panic!("no jobs:\n{source}"));
        for (job, body) in jobs {
            assert!(body["runs-on"].as_str().is_some(), "{job:?}: no runs-on");
            let steps = body["steps"]
                .as_vec()
                .unwrap_or_else(|| panic!("{job:?}: no steps"));
            for step in steps {
                let uses = step["uses"].as_str();
                let run = step["run"].as_str();
                assert!(uses.is_some() != run.is_some(), "{job:?}: {step:?}");
            }
        }
    }
}

#[test]
fn the_comment_workflow_updates_the_comment_that_starts_with_the_marker() {
    let (source, w) = workflows()
        .into_iter()
        .find(|(source, _)| source.contains("cargo truecov diff"))
        .expect("a workflow runs `cargo truecov diff`");
    let steps = w["jobs"]["delta"]["steps"].as_vec().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let post = runs
        .iter()
        .find(|r| r.contains("gh api"))
        .expect("a step posts the comment");
    assert!(post.contains("marker='<!-- truecov-comment -->'"), "{post}");
    assert!(
        runs.iter().any(|r| r.contains("--export-baseline")),
        "{source}"
    );
    assert!(
        runs.iter().any(|r| r.contains("--fail-on-drop")),
        "{source}"
    );
    let checkout = &steps[0];
    assert_eq!(checkout["uses"].as_str(), Some("actions/checkout@v4"));
    assert_eq!(checkout["with"]["fetch-depth"].as_i64(), Some(0));
}

#[test]
fn the_shard_workflow_archives_once_runs_every_part_and_merges_them_all() {
    let (source, w) = workflows()
        .into_iter()
        .find(|(source, _)| source.contains("cargo truecov merge"))
        .expect("a workflow runs `cargo truecov merge`");
    let runs = |job: &str| -> Vec<String> {
        w["jobs"][job]["steps"]
            .as_vec()
            .unwrap_or_else(|| panic!("no job {job}:\n{source}"))
            .iter()
            .filter_map(|s| s["run"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(runs("build")
        .iter()
        .any(|r| r.contains("cargo truecov archive --output truecov.tar.gz")));
    let parts = matrix_parts(&w, "shard");
    let n = parts.len() as i64;
    assert_eq!(
        parts,
        (1..=n).collect::<Vec<_>>(),
        "every part from 1 to N once"
    );
    let shard = runs("shard").join("\n");
    for needed in [
        "--archive",
        &format!("--partition slice:${{{{ matrix.shard }}}}/{n}"),
        "--workspace-remap",
        "--output shard-${{ matrix.shard }}.json",
    ] {
        assert!(shard.contains(needed), "`{needed}` not in:\n{shard}");
    }
    assert_eq!(w["jobs"]["shard"]["needs"].as_str(), Some("build"));
    assert_eq!(w["jobs"]["merge"]["needs"].as_str(), Some("shard"));
    let merge = runs("merge").join("\n");
    assert!(
        merge.contains("cargo truecov merge shards/shard-*.json"),
        "{merge}"
    );
    assert!(
        merge.contains("marker='<!-- truecov-comment -->'"),
        "{merge}"
    );
}

#[test]
fn the_prove_shard_workflow_proves_every_part_and_merges_them_all() {
    let (source, w) = workflows()
        .into_iter()
        .find(|(source, _)| source.contains("cargo truecov prove --partition"))
        .expect("a workflow runs `cargo truecov prove --partition`");
    let runs = |job: &str| -> String {
        w["jobs"][job]["steps"]
            .as_vec()
            .unwrap_or_else(|| panic!("no job {job}:\n{source}"))
            .iter()
            .filter_map(|s| s["run"].as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let parts = matrix_parts(&w, "prove");
    let n = parts.len() as i64;
    assert!(n > 1, "{parts:?}");
    assert_eq!(parts, (1..=n).collect::<Vec<_>>(), "every part once");
    let prove = runs("prove");
    for needed in [
        format!("--partition hash:${{{{ matrix.shard }}}}/{n}"),
        "--output prove-${{ matrix.shard }}.json".to_owned(),
    ] {
        assert!(prove.contains(&needed), "`{needed}` not in:\n{prove}");
    }
    assert_eq!(w["jobs"]["merge"]["needs"].as_str(), Some("prove"));
    let merge = runs("merge");
    assert!(
        merge.contains("cargo truecov merge parts/prove-*.json --fail-on-pseudo"),
        "{merge}"
    );
}
