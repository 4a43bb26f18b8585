//! Read-only lookups: `fj session`, `fj sessions`, `fj autocomplete`.

use anyhow::Context;

use crate::cli::{AutocompleteArgs, SessionArgs, SessionsArgs, Target};
use crate::connect::Connection;
use crate::output::{ProjectSessionRow, SessionRow, Sink, SuggestionRow};
use crate::ui::Ui;

/// `fj session SESSION_ID`: Get Session Details.
pub async fn session(args: &SessionArgs, target: Target, ui: &Ui) -> anyhow::Result<()> {
    let connection = Connection::open(target, ui).await?;
    let result = async {
        let id = &args.session_id;
        let details = connection
            .client
            .session(id)
            .await
            .with_context(|| format!("reading session {id}"))?;
        ui.call("session details", &details.meta);
        let mut sink = Sink::new::<SessionRow>(args.format, super::stdout())?;
        sink.write(&SessionRow::from(&details.session))?;
        sink.finish()?;
        Ok(())
    }
    .await;
    connection.close().await;
    result
}

/// `fj sessions`: Get Project Sessions.
pub async fn sessions(args: &SessionsArgs, target: Target, ui: &Ui) -> anyhow::Result<()> {
    let connection = Connection::open(target, ui).await?;
    let result = async {
        let list = connection
            .client
            .project_sessions()
            .await
            .context("listing the project's sessions")?;
        ui.call("project sessions", &list.meta);
        let mut sink = Sink::new::<ProjectSessionRow>(args.format, super::stdout())?;
        for session in list.iter() {
            sink.write(&ProjectSessionRow::from(session))?;
        }
        sink.finish()?;
        ui.info(crate::output::count(list.len(), "session"));
        Ok(())
    }
    .await;
    connection.close().await;
    result
}

/// `fj autocomplete FILTER_TYPE QUERY`: Filters Autocomplete.
pub async fn autocomplete(args: &AutocompleteArgs, target: Target, ui: &Ui) -> anyhow::Result<()> {
    let connection = Connection::open(target, ui).await?;
    let result = async {
        let suggestions = connection
            .client
            .autocomplete(&args.filter_type, &args.query, args.limit)
            .await
            .with_context(|| {
                format!(
                    "suggesting {} values for {:?}",
                    args.filter_type, args.query
                )
            })?;
        ui.call("autocomplete", &suggestions.meta);
        let mut sink = Sink::new::<SuggestionRow>(args.format, super::stdout())?;
        for suggestion in suggestions.iter() {
            sink.write(&SuggestionRow::from(suggestion))?;
        }
        sink.finish()?;
        Ok(())
    }
    .await;
    connection.close().await;
    result
}
