//! `newsidx completions SHELL` and `newsidx man`: generated from the one clap definition, so
//! they can never disagree with the real flags.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit::Outcome;
use crate::output::{Format, OutputOptions, Printer};

/// Prints the completion script of a shell.
pub fn completions(args: &CompletionsArgs) -> Result<Outcome> {
    let mut command = Cli::command();
    let mut printer = Printer::stdout(OutputOptions::plain(Format::Table));
    clap_complete::generate(
        args.shell,
        &mut command,
        "newsidx",
        printer.generated_text(),
    );
    printer.finish()?;
    Ok(Outcome::Found)
}

/// Prints the man page, with a section per subcommand.
pub fn man_page() -> Result<Outcome> {
    let command = Cli::command();
    let mut printer = Printer::stdout(OutputOptions::plain(Format::Table));
    let out = printer.generated_text();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    for sub in command.get_subcommands() {
        writeln!(out, ".SH \"NEWSIDX {}\"", sub.get_name().to_uppercase())?;
        if let Some(about) = sub.get_about() {
            writeln!(out, "{}", roff_escape(&about.to_string()))?;
        }
        writeln!(out, ".PP")?;
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            let name = match (arg.get_short(), arg.get_long()) {
                (Some(s), Some(l)) => format!("\\-{s}, \\-\\-{l}"),
                (None, Some(l)) => format!("\\-\\-{l}"),
                (Some(s), None) => format!("\\-{s}"),
                (None, None) => arg.get_id().to_string().to_uppercase(),
            };
            writeln!(out, ".TP\n\\fB{name}\\fR")?;
            if let Some(help) = arg.get_help() {
                writeln!(out, "{}", roff_escape(&help.to_string()))?;
            }
        }
        if let Some(after) = sub.get_after_help() {
            writeln!(out, ".PP\n.nf")?;
            for line in after.to_string().lines() {
                writeln!(out, "{}", roff_escape(line))?;
            }
            writeln!(out, ".fi")?;
        }
    }
    man.render_version_section(out)?;
    printer.finish()?;
    Ok(Outcome::Found)
}

/// Escapes text for roff: backslashes and a leading dot or quote.
fn roff_escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
