//! `fj jd TEXT | --file F`: JD to Filters, printed as a query file.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;

use crate::cli::{JdArgs, Target};
use crate::connect::Connection;
use crate::failure::InputError;
use crate::ui::Ui;

/// Annotates the text and prints the Create body (pretty JSON) on standard output.
pub async fn run(args: &JdArgs, target: Target, ui: &Ui) -> anyhow::Result<()> {
    let text = match (&args.text, &args.file) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) => read_text(path)?,
        (None, None) => unreachable!("clap requires TEXT or --file"),
    };
    if text.trim().is_empty() {
        return Err(InputError::new("InvalidInput", "the job description is empty").into());
    }
    let connection = Connection::open(target, ui).await?;
    let result = jd(&connection.client, args, &text, ui).await;
    connection.close().await;
    result
}

fn read_text(path: &Path) -> Result<String, InputError> {
    let shown = path.display();
    let read = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map(|_| text)
    } else {
        std::fs::read_to_string(path)
    };
    read.map_err(|e| InputError::new("InvalidInput", format!("cannot read {shown}: {e}")))
}

async fn jd(
    client: &fj_sourcing::Client,
    args: &JdArgs,
    text: &str,
    ui: &Ui,
) -> anyhow::Result<()> {
    let annotations = client
        .jd_to_filters(text, args.linkedin_url.as_deref())
        .await
        .context("turning the job description into filters")?;
    ui.call("jd to filters", &annotations.meta);
    // Annotations that cannot be used are reported and left out rather than failing the
    // command: the output is a starting point to edit, and every omission is named.
    let filters = match annotations.to_builder() {
        Ok(filters) => filters,
        Err(error) => {
            for problem in error.problems() {
                ui.warn(format_args!("left out {problem}"));
            }
            error.into_partial()
        }
    };
    for dropped in &filters.dropped {
        ui.info(format_args!(
            "no filter for {}: {}",
            dropped.key(),
            dropped.reason()
        ));
    }
    let mut builder = filters.builder.jd_text(text);
    if let Some(title) = &args.title {
        builder = builder.title(title);
    }
    if let Some(url) = &args.linkedin_url {
        builder = builder.sample_profile_url(url);
    }
    let request = builder
        .build()
        .map_err(|e| InputError::query("the job description's filters", &e))?;
    let mut out = super::stdout();
    serde_json::to_writer_pretty(&mut out, &request)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}
