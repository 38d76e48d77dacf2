//! The manual page `cli/npyio.1`, generated from the command-line
//! definition (the clap structures in main.rs) with `clap_mangen`, so the
//! page says what `--help` says. The test below fails when the checked-in
//! page differs from what the definition generates; `NPYIO_BLESS=1 cargo
//! test -p npyio-cli --bin npyio man_page` rewrites it. CMake installs the
//! checked-in page, so installing needs no generator.
//!
//! One page covers every command: NAME, SYNOPSIS, DESCRIPTION and OPTIONS
//! from the top-level definition, then COMMANDS with a subsection per
//! command (its synopsis, what its `--help` says, its options), then EXIT
//! STATUS.

use crate::Cli;
use clap::CommandFactory;
use clap_mangen::roff::{bold, roman, Roff};
use clap_mangen::Man;

/// Roff text without the preamble every rendering starts with (the page
/// gets it once, from its title).
fn strip_preamble(text: String) -> String {
    let preamble = Roff::new().render();
    match text.strip_prefix(&preamble) {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// Our own roff, to append to the page.
fn chunk(roff: &Roff) -> String {
    strip_preamble(roff.render())
}

/// The output of one of `Man`'s section renderers without its `.SH` line,
/// to be placed under a heading of our own.
fn section_body(render: impl Fn(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    render(&mut out).expect("rendering to memory");
    let text = strip_preamble(String::from_utf8(out).expect("roff is UTF-8"));
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    assert!(
        first.starts_with(".SH "),
        "unexpected section start {first:?}"
    );
    rest.to_string()
}

/// A section renderer's output, to append to the page.
fn section(render: impl Fn(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    render(&mut out).expect("rendering to memory");
    strip_preamble(String::from_utf8(out).expect("roff is UTF-8"))
}

/// A one-line description as a sentence (clap drops a doc comment's
/// final period).
fn sentence(s: &str) -> String {
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// Help text as roff: paragraphs (separated by empty lines) are filled,
/// indented lines (tables, examples) are kept as they are.
fn text_block(roff: &mut Roff, text: &str) {
    let mut nofill = false;
    let mut first = true;
    for para in text.split("\n\n") {
        if !first {
            roff.control("PP", []);
        }
        first = false;
        for line in para.lines() {
            let indented = line.starts_with(' ');
            if indented != nofill {
                roff.control(if indented { "nf" } else { "fi" }, []);
                nofill = indented;
            }
            roff.text([roman(line)]);
        }
        if nofill {
            roff.control("fi", []);
            nofill = false;
        }
    }
}

/// The whole page.
pub fn render() -> String {
    // `npyio help COMMAND` is `npyio COMMAND --help`: not a command of its own here.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let man = Man::new(cmd.clone());
    let mut page = Roff::new().render();
    // The title line by hand: roff does not quote an empty date, which
    // would shift the source and the manual into the wrong fields.
    page.push_str(&format!(
        ".TH NPYIO 1 \"\" \"npyio {}\" \"User Commands\"\n",
        cmd.get_version().unwrap_or_default()
    ));
    page.push_str(&section(|w| man.render_name_section(w)));
    page.push_str(&section(|w| man.render_synopsis_section(w)));

    // DESCRIPTION: what the tool is, then the top-level help's notes other
    // than the exit status, which gets its own section.
    let after = cmd
        .get_after_help()
        .map(|s| s.to_string())
        .unwrap_or_default();
    let (exit, notes): (Vec<&str>, Vec<&str>) = after
        .split("\n\n")
        .partition(|p| p.starts_with("Exit status:"));
    let mut roff = Roff::new();
    roff.control("SH", ["DESCRIPTION"]);
    text_block(
        &mut roff,
        &format!(
            "{}\n\n{}",
            sentence(&cmd.get_about().map(|s| s.to_string()).unwrap_or_default()),
            notes.join("\n\n")
        ),
    );
    page.push_str(&chunk(&roff));
    page.push_str(&section(|w| man.render_options_section(w)));

    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    page.push_str(&chunk(&roff));
    for sub in cmd.get_subcommands() {
        let name = format!("npyio {}", sub.get_name());
        let sub_man = Man::new(sub.clone().bin_name(&name));
        let mut roff = Roff::new();
        roff.control("SS", [name.as_str()]);
        page.push_str(&chunk(&roff));
        page.push_str(&section_body(|w| sub_man.render_synopsis_section(w)));
        let mut roff = Roff::new();
        roff.control("PP", []);
        let about = sub
            .get_long_about()
            .or_else(|| sub.get_about())
            .map(|s| s.to_string())
            .unwrap_or_default();
        let after = sub
            .get_after_help()
            .map(|s| format!("\n\n{s}"))
            .unwrap_or_default();
        text_block(&mut roff, &format!("{}{after}", sentence(&about)));
        page.push_str(&chunk(&roff));
        page.push_str(&section_body(|w| sub_man.render_options_section(w)));
    }

    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for p in exit {
        for line in p.lines().skip(1) {
            let line = line.trim_start();
            let (code, what) = line.split_once(' ').unwrap_or((line, ""));
            roff.control("TP", []);
            roff.text([bold(code)]);
            roff.text([roman(what.trim_start())]);
        }
    }
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "The README.md files of the npyio sources (the library, and cli/README.md for this tool).",
    )]);
    page.push_str(&chunk(&roff));
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn man_page_is_fresh() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("npyio.1");
        let page = render();
        if std::env::var_os("NPYIO_BLESS").is_some() {
            std::fs::write(&path, &page).unwrap();
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == page,
            "cli/npyio.1 is stale: run `NPYIO_BLESS=1 cargo test -p npyio-cli --bin npyio man_page` and commit it"
        );
    }

    /// Every command and every option of the definition is in the page,
    /// with the exit codes.
    #[test]
    fn man_page_documents_every_command_and_option() {
        let page = render();
        // roff writes '-' as '\-'.
        let plain = page.replace("\\-", "-");
        assert!(plain.contains("\n.TH NPYIO 1 "), "no title line");
        let cmd = Cli::command();
        let mut n = 0;
        for sub in cmd.get_subcommands() {
            let heading = format!(".SS \"npyio {}\"", sub.get_name());
            let at = plain
                .find(&heading)
                .unwrap_or_else(|| panic!("no {heading}"));
            let end = plain[at + 1..]
                .find(".SS ")
                .or_else(|| plain[at + 1..].find(".SH "))
                .map_or(plain.len(), |k| at + 1 + k);
            let section = &plain[at..end];
            for a in sub.get_arguments() {
                if let Some(l) = a.get_long() {
                    assert!(
                        section.contains(&format!("--{l}")),
                        "npyio {}: --{l} missing",
                        sub.get_name()
                    );
                    n += 1;
                }
            }
        }
        assert!(n > 30, "only {n} options");
        for w in [
            ".SH \"EXIT STATUS\"",
            "operating-system error",
            "--skiprows",
        ] {
            assert!(plain.contains(w), "page lacks {w:?}");
        }
    }
}
