//! What notis may do to an output directory: it replaces only the files it wrote, keeps everything
//! else, refuses directories that would risk the user's files, and puts a new site in place as one
//! whole, so that a build killed at any moment or a full disk leaves the old site or the new one.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

use common::{build_ok, describe, notis, snapshot, stderr, TODAY};

type Snapshot = BTreeMap<String, Option<Vec<u8>>>;

/// Files a user or a deploy tool keeps in the output, which notis did not write.
const FOREIGN: [(&str, &str); 4] = [
    (".git/HEAD", "ref: refs/heads/gh-pages\n"),
    (".nojekyll", ""),
    ("CNAME", "barnhalsa.example.se\n"),
    ("egen/anteckning.txt", "a colleague's note\n"),
];

/// Writes a site of `pages` news items under `root`. `variant` changes every page's text and which
/// pages exist, so that a build of one variant over the other's output replaces, adds and removes.
fn generated_site(root: &Path, pages: usize, variant: &str, body_bytes: usize) {
    std::fs::create_dir_all(root.join("content/nyheter")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        format!("title: \"Provsajt {variant}\"\nbase_url: \"https://example.se/\"\nnews_section: nyheter\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("content/_index.md"),
        format!("---\ntitle: \"Start {variant}\"\n---\nStartsidan.\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("content/nyheter/_index.md"),
        "---\ntitle: \"Nyheter\"\ndefault_kind: news\n---\n",
    )
    .unwrap();
    let filler = "Mottagningen har nya öppettider. ".repeat(body_bytes / 34 + 1);
    let skip = if variant == "a" { 0 } else { 1 };
    for n in (0..pages).filter(|n| n % 7 != skip) {
        let day = 1 + n % 28;
        let month = 1 + (n / 28) % 12;
        std::fs::write(
            root.join(format!("content/nyheter/2025-{month:02}-{day:02}-nyhet-{n}.md")),
            format!(
                "---\ntitle: \"Nyhet {n} ({variant})\"\ndate: 2025-{month:02}-{day:02}\nsummary: \"Sammanfattning {n}.\"\ntags: [\"ämne {}\"]\n---\n{filler}\n",
                n % 13
            ),
        )
        .unwrap();
    }
}

fn add_foreign_files(output: &Path) {
    for (path, text) in FOREIGN {
        let file = output.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
}

/// The names next to `output` in its parent directory.
fn beside(output: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(output.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn files_notis_did_not_write_survive_every_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, output) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("ut"));
    generated_site(&a, 20, "a", 100);
    generated_site(&b, 20, "b", 100);
    build_ok(&a, &output, TODAY);
    add_foreign_files(&output);
    std::fs::create_dir_all(output.join(".well-known/tom")).unwrap();
    // A rebuild with changes, a rebuild with none, and one back again.
    for (root, changes) in [(&b, true), (&b, false), (&a, true)] {
        let result = build_ok(root, &output, TODAY);
        assert_eq!(
            common::stdout(&result).contains("inget har ändrats"),
            !changes,
            "{}",
            describe(&result)
        );
        for (path, text) in FOREIGN {
            assert_eq!(
                std::fs::read_to_string(output.join(path)).ok().as_deref(),
                Some(text),
                "{path} after building {}",
                root.display()
            );
        }
        assert!(output.join(".well-known/tom").is_dir());
        assert_eq!(
            beside(&output),
            [".ut.notis-manifest", ".ut.notis-staging", "a", "b", "ut"]
        );
    }
}

#[test]
fn outputs_that_risk_the_users_files_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    generated_site(&site, 3, "a", 100);
    std::fs::create_dir_all(site.join(".git")).unwrap();
    std::fs::write(site.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let foreign = dir.path().join("dokument");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("rapport.pdf"), "%PDF-1.7").unwrap();
    let before = (snapshot(dir.path()), beside(&site));
    let refused: [(&Path, &Path, &str); 4] = [
        (&site, Path::new("."), "webbplatsens egen katalog"),
        (&site, &site.join("content"), "ligger i webbplatsens content/"),
        (&site, &foreign, "inte har skrivit"),
        (&site, dir.path(), "webbplatsens egen katalog"),
    ];
    for (root, output, phrase) in refused {
        let result = notis()
            .current_dir(root)
            .args([OsStr::new("build"), OsStr::new("--output"), output.as_os_str()])
            .args(["--today", TODAY])
            .output()
            .unwrap();
        assert_eq!(result.status.code(), Some(2), "{}", describe(&result));
        assert!(stderr(&result).contains(phrase), "{}", describe(&result));
        assert!(stderr(&result).contains("tips:"), "{}", describe(&result));
        assert_eq!((snapshot(dir.path()), beside(&site)), before, "something changed");
    }
}

/// Builds the two variants of a site from scratch into reference directories, with the foreign
/// files added, so that any output can be compared with "the old site" and "the new site".
fn references(dir: &Path, a: &Path, b: &Path) -> [Snapshot; 2] {
    [a, b].map(|root| {
        let output = dir.join(format!("ref-{}", root.file_name().unwrap().to_string_lossy()));
        build_ok(root, &output, TODAY);
        add_foreign_files(&output);
        snapshot(&output)
    })
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, output) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("ut"));
    generated_site(&a, 2_000, "a", 600);
    generated_site(&b, 2_000, "b", 600);
    let sites = [&a, &b];
    let reference = references(dir.path(), &a, &b);
    build_ok(&a, &output, TODAY);
    add_foreign_files(&output);
    let started = Instant::now();
    build_ok(&b, &output, TODAY);
    let rebuild = started.elapsed();
    assert_eq!(snapshot(&output), reference[1]);

    eprintln!("a rebuild of {} files took {rebuild:?}", reference[1].len());
    let mut current = 1;
    let mut outcomes = [0; 2];
    let kills = 16;
    for attempt in 0..kills {
        let target = 1 - current;
        // Kill moments spread over the whole rebuild and a little past it.
        let delay = rebuild.mul_f64(0.05 + 1.1 * attempt as f64 / kills as f64);
        let mut child = notis()
            .args([
                OsStr::new("build"),
                OsStr::new("--root"),
                sites[target].as_os_str(),
            ])
            .args([OsStr::new("--output"), output.as_os_str()])
            .args(["--today", TODAY])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        let now = snapshot(&output);
        current = reference
            .iter()
            .position(|site| *site == now)
            .unwrap_or_else(|| {
                let differing = now
                    .keys()
                    .chain(reference[target].keys())
                    .filter(|path| now.get(*path) != reference[target].get(*path))
                    .filter(|path| now.get(*path) != reference[1 - target].get(*path))
                    .take(5)
                    .collect::<Vec<_>>();
                panic!(
                    "killed after {delay:?}: the output is neither the old nor the new site ({} files; e.g. {differing:?})",
                    now.len()
                )
            });
        outcomes[usize::from(current == target)] += 1;
    }
    eprintln!(
        "old site kept {} times, new site in place {} times",
        outcomes[0], outcomes[1]
    );
    // Both outcomes must have happened, or the kills did not cover the rebuild.
    assert!(
        outcomes[0] > 0 && outcomes[1] > 0,
        "old kept {}, new in place {}",
        outcomes[0],
        outcomes[1]
    );
    // The next build clears whatever the killed ones left beside the output.
    build_ok(sites[1 - current], &output, TODAY);
    assert_eq!(snapshot(&output), reference[1 - current]);
    let beside_output: Vec<String> = beside(&output)
        .into_iter()
        .filter(|name| name.contains("ut"))
        .collect();
    assert_eq!(beside_output, [".ut.notis-manifest", ".ut.notis-staging", "ut"]);
}

/// Runs `script` with `sh` as root of a new user and mount namespace, where it may mount a small
/// tmpfs; `None` when this system does not allow that.
fn in_mount_namespace(script: &str) -> Option<std::process::Output> {
    let output = std::process::Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", script])
        .env_remove("NOTIS_TODAY")
        .output()
        .ok()?;
    let message = String::from_utf8_lossy(&output.stderr);
    (!message.contains("unshare failed") && !message.contains("NAMESPACE-UNAVAILABLE")).then_some(output)
}

#[test]
fn a_full_disk_leaves_the_output_as_it_was_with_one_true_message() {
    let dir = tempfile::tempdir().unwrap();
    let (small, large) = (dir.path().join("small"), dir.path().join("large"));
    generated_site(&small, 30, "a", 200);
    generated_site(&large, 300, "b", 20_000);
    let disk = dir.path().join("disk");
    let (before, after) = (dir.path().join("before"), dir.path().join("after"));
    std::fs::create_dir_all(&disk).unwrap();
    let script = format!(
        r#"mount -t tmpfs -o size=3m tmpfs "{disk}" || {{ echo NAMESPACE-UNAVAILABLE >&2; exit 0; }}
"{notis}" build --root "{small}" --output "{disk}/ut" --today {TODAY} >/dev/null || exit 90
printf 'x' > "{disk}/ut/CNAME"
cp -a "{disk}/ut" "{before}"
"{notis}" build --root "{large}" --output "{disk}/ut" --today {TODAY} > "{dir}/rebuild.out" 2> "{dir}/rebuild.err"
echo $? > "{dir}/rebuild.code"
"{notis}" build --root "{large}" --output "{disk}/ny" --today {TODAY} > "{dir}/first.out" 2> "{dir}/first.err"
echo $? > "{dir}/first.code"
cp -a "{disk}/ut" "{after}"
ls -A "{disk}" > "{dir}/beside""#,
        disk = disk.display(),
        notis = env!("CARGO_BIN_EXE_notis"),
        small = small.display(),
        large = large.display(),
        before = before.display(),
        after = after.display(),
        dir = dir.path().display(),
    );
    let Some(result) = in_mount_namespace(&script) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must be able to mount a small tmpfs in a user namespace"
        );
        eprintln!("skipped: this system cannot mount a tmpfs in a user namespace");
        return;
    };
    assert!(result.status.success(), "{}", describe(&result));
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    for (run, what) in [("rebuild", "a rebuild"), ("first", "a first build")] {
        assert_eq!(
            read(&format!("{run}.code")).trim(),
            "1",
            "{what}: {}",
            read(&format!("{run}.err"))
        );
        let errors: Vec<String> = read(&format!("{run}.err"))
            .lines()
            .filter(|line| line.contains(": fel:"))
            .map(str::to_string)
            .collect();
        assert_eq!(errors.len(), 1, "{what} reports the full disk once: {errors:?}");
        assert!(errors[0].contains("disken är full"), "{what}: {errors:?}");
        assert!(read(&format!("{run}.err")).contains("Inget skrevs"), "{what}");
    }
    assert_eq!(snapshot(&after), snapshot(&before), "the old site is intact");
    assert_eq!(
        read("beside").split_whitespace().collect::<Vec<_>>(),
        [".ut.notis-manifest", "ut"]
    );
}
