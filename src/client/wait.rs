//! Waiting for a session's search to finish: polling Get Session Details with backoff.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::StreamExt;
use tokio::time::{Instant, Sleep};

use super::retry::Backoff;
use super::{Client, Response};
use crate::error::Error;
use crate::model::{ProfileMatchingStatus, SessionDetails};

/// How [`Client::wait_until_done`] and [`Client::watch`] poll.
///
/// The reference documents no interval, timeout or failure status; integrators poll about every
/// 3 s for up to 90 s. The defaults are a first wait of 2 s growing by 1.5× to at most 15 s,
/// within 5 minutes.
///
/// ```
/// use std::time::Duration;
/// use fj_sourcing::WaitOptions;
///
/// let options = WaitOptions::default()
///     .with_first_interval(Duration::from_secs(1))
///     .with_factor(2.0)
///     .with_max_interval(Duration::from_secs(8))
///     .with_deadline(Duration::from_secs(120));
/// assert_eq!(options.deadline(), Duration::from_secs(120));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct WaitOptions {
    first_interval: Duration,
    factor: f64,
    max_interval: Duration,
    deadline: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            first_interval: Duration::from_secs(2),
            factor: 1.5,
            max_interval: Duration::from_secs(15),
            deadline: Duration::from_secs(300),
        }
    }
}

impl WaitOptions {
    /// The wait after the first poll.
    pub fn with_first_interval(mut self, interval: Duration) -> Self {
        self.first_interval = interval;
        self
    }

    /// How much each wait grows over the previous one (at least 1; NaN counts as 1).
    pub fn with_factor(mut self, factor: f64) -> Self {
        self.factor = if factor >= 1.0 { factor } else { 1.0 };
        self
    }

    /// The longest wait between two polls.
    pub fn with_max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// The overall time allowed, from the first poll. It is checked between polls: a poll
    /// started before the deadline completes (bounded by the client's timeout and retries).
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// See [`with_first_interval`](Self::with_first_interval).
    pub fn first_interval(&self) -> Duration {
        self.first_interval
    }

    /// See [`with_factor`](Self::with_factor).
    pub fn factor(&self) -> f64 {
        self.factor
    }

    /// See [`with_max_interval`](Self::with_max_interval).
    pub fn max_interval(&self) -> Duration {
        self.max_interval
    }

    /// See [`with_deadline`](Self::with_deadline).
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// The wait after the `polls`th poll.
    fn interval(&self, polls: u32) -> Duration {
        Backoff {
            first: self.first_interval,
            factor: self.factor,
            max: self.max_interval,
        }
        .nth(polls)
    }
}

/// One poll's outcome: an item of [`Client::watch`], and what the callback of
/// [`Client::wait_until_done_with`] receives.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Progress {
    /// The session's `profileMatchingStatus` at this poll, if it had one.
    pub status: Option<ProfileMatchingStatus>,
    /// Whether the status differs from the previous poll's (always true on the first poll).
    pub changed: bool,
    /// How many polls have been made, this one included.
    pub polls: u32,
    /// Time since the first poll started.
    pub elapsed: Duration,
}

impl Progress {
    /// Whether this poll saw `done` (the last event of a [`Watch`]).
    pub fn is_done(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(ProfileMatchingStatus::is_done)
    }
}

type PollFuture = Pin<Box<dyn Future<Output = Result<Response<SessionDetails>, Error>> + Send>>;
type Poller = Box<dyn FnMut() -> PollFuture + Send>;

/// The polls of a session until its search is `done`, as a [`Stream`] of [`Progress`] events;
/// from [`Client::watch`].
///
/// Each poll of Get Session Details yields one event; the stream ends after the event that
/// saw `done`. Reaching the deadline first yields that last poll's event, then
/// [`Error::WaitTimeout`], then ends; an error of a poll is yielded and ends the stream.
/// Nothing is sent until the stream is first polled; the waits between polls run on Tokio's
/// clock. After the stream ends, [`into_last_response`](Self::into_last_response) gives the
/// last answer (the `done` one after a clean end).
///
/// [`Client::wait_until_done`] and [`Client::wait_until_done_with`] consume this same stream.
#[must_use = "a stream does nothing unless polled"]
pub struct Watch {
    session_id: String,
    options: WaitOptions,
    poll: Poller,
    state: WatchState,
    started: Instant,
    last_status: Option<ProfileMatchingStatus>,
    polls: u32,
    last: Option<Response<SessionDetails>>,
}

enum WatchState {
    /// Not polled yet.
    Start,
    Polling(PollFuture),
    Sleeping(Pin<Box<Sleep>>),
    /// An error to yield next (a refused argument, or the deadline).
    Failed(Box<Error>),
    Ended,
}

impl fmt::Debug for Watch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            WatchState::Start => "start",
            WatchState::Polling(_) => "polling",
            WatchState::Sleeping(_) => "sleeping",
            WatchState::Failed(_) => "failed",
            WatchState::Ended => "ended",
        };
        f.debug_struct("Watch")
            .field("session_id", &self.session_id)
            .field("options", &self.options)
            .field("state", &state)
            .field("polls", &self.polls)
            .field("last_status", &self.last_status)
            .finish()
    }
}

impl Watch {
    /// A watch that polls with `poll` (the client's Get Session Details, or a script in tests).
    pub(crate) fn with_poller(
        session_id: &str,
        options: WaitOptions,
        poll: impl FnMut() -> PollFuture + Send + 'static,
    ) -> Watch {
        Watch {
            session_id: session_id.to_owned(),
            options,
            poll: Box::new(poll),
            state: WatchState::Start,
            started: Instant::now(),
            last_status: None,
            polls: 0,
            last: None,
        }
    }

    /// The answer of the latest poll, if any.
    pub fn last_response(&self) -> Option<&Response<SessionDetails>> {
        self.last.as_ref()
    }

    /// The answer of the latest poll: after the stream ended without an error, the one that
    /// saw `done`.
    pub fn into_last_response(self) -> Option<Response<SessionDetails>> {
        self.last
    }

    /// Takes one poll's answer: the event to yield, and what comes next.
    fn answered(&mut self, response: Response<SessionDetails>) -> Progress {
        self.polls += 1;
        let status = response.status().cloned();
        let progress = Progress {
            changed: self.polls == 1 || status != self.last_status,
            status,
            polls: self.polls,
            elapsed: self.started.elapsed(),
        };
        tracing::debug!(
            session_id = self.session_id,
            status = ?progress.status,
            polls = self.polls,
            "session polled"
        );
        let done = response.is_done();
        self.last = Some(response);
        self.state = if done {
            WatchState::Ended
        } else {
            self.last_status = progress.status.clone();
            let now = Instant::now();
            let deadline = self.started + self.options.deadline;
            if now >= deadline {
                WatchState::Failed(Box::new(Error::WaitTimeout {
                    session_id: self.session_id.clone(),
                    waited: now - self.started,
                    polls: self.polls,
                    last_status: self.last_status.clone(),
                }))
            } else {
                let wait = self.options.interval(self.polls).min(deadline - now);
                WatchState::Sleeping(Box::pin(tokio::time::sleep(wait)))
            }
        };
        progress
    }
}

impl Stream for Watch {
    type Item = Result<Progress, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                WatchState::Start => {
                    this.started = Instant::now();
                    this.state = WatchState::Polling((this.poll)());
                }
                WatchState::Polling(future) => {
                    let answer = match future.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(answer) => answer,
                    };
                    return Poll::Ready(Some(match answer {
                        Ok(response) => Ok(this.answered(response)),
                        Err(error) => {
                            this.state = WatchState::Ended;
                            Err(error)
                        }
                    }));
                }
                WatchState::Sleeping(sleep) => {
                    if sleep.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    this.state = WatchState::Polling((this.poll)());
                }
                WatchState::Failed(_) => {
                    let WatchState::Failed(error) =
                        std::mem::replace(&mut this.state, WatchState::Ended)
                    else {
                        unreachable!("matched just above")
                    };
                    return Poll::Ready(Some(Err(*error)));
                }
                WatchState::Ended => return Poll::Ready(None),
            }
        }
    }
}

/// Drives `watch` to its end, calling `on_progress` for each event: the one polling loop behind
/// both waiting forms.
async fn run_to_done(
    mut watch: Watch,
    mut on_progress: impl FnMut(&Progress),
) -> Result<Response<SessionDetails>, Error> {
    while let Some(progress) = watch.next().await {
        on_progress(&progress?);
    }
    Ok(watch
        .into_last_response()
        .expect("a watch ends without an error only after the poll that saw done"))
}

impl Client {
    /// Polls Get Session Details until `profileMatchingStatus` is `done`, and returns that last
    /// answer.
    ///
    /// Waits grow from `first_interval` by `factor` up to `max_interval`. Reaching the deadline
    /// first is [`Error::WaitTimeout`] (with the last status seen). Errors of a poll end the wait
    /// (reads are already retried by the client's [`RetryPolicy`](crate::RetryPolicy)). Every
    /// status other than `done`, including unknown ones, keeps the wait going: the reference
    /// documents no failure status. To show progress, use
    /// [`wait_until_done_with`](Client::wait_until_done_with) or [`watch`](Client::watch).
    ///
    /// ```no_run
    /// use fj_sourcing::WaitOptions;
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// let done = client
    ///     .wait_until_done("6a0c77936e7a0151430c91fd", WaitOptions::default())
    ///     .await?;
    /// println!("{:?} is {:?}", done.session.session_title, done.status());
    /// # Ok(()) }
    /// ```
    pub async fn wait_until_done(
        &self,
        session_id: &str,
        options: WaitOptions,
    ) -> Result<Response<SessionDetails>, Error> {
        self.wait_until_done_with(session_id, options, |_| {}).await
    }

    /// Like [`wait_until_done`](Client::wait_until_done), calling `on_progress` after every poll.
    ///
    /// ```no_run
    /// use fj_sourcing::WaitOptions;
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// client
    ///     .wait_until_done_with("6a0c77936e7a0151430c91fd", WaitOptions::default(), |p| {
    ///         if p.changed {
    ///             eprintln!("{:>5.1}s  {:?}", p.elapsed.as_secs_f64(), p.status);
    ///         }
    ///     })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn wait_until_done_with(
        &self,
        session_id: &str,
        options: WaitOptions,
        on_progress: impl FnMut(&Progress),
    ) -> Result<Response<SessionDetails>, Error> {
        run_to_done(self.watch(session_id, options), on_progress).await
    }

    /// The polls of [`wait_until_done`](Client::wait_until_done) as a [`Stream`] of
    /// [`Progress`] events, ending after the poll that sees `done` (see [`Watch`]). An invalid
    /// session id is the only item, before anything is sent.
    ///
    /// ```no_run
    /// use fj_sourcing::WaitOptions;
    /// use futures_util::StreamExt;
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// let mut watch = client.watch("6a0c77936e7a0151430c91fd", WaitOptions::default());
    /// while let Some(progress) = watch.next().await {
    ///     let progress = progress?;
    ///     eprintln!("poll {}: {:?}", progress.polls, progress.status);
    /// }
    /// let done = watch.into_last_response();
    /// # let _ = done;
    /// # Ok(()) }
    /// ```
    pub fn watch(&self, session_id: &str, options: WaitOptions) -> Watch {
        let client = self.clone();
        let id = session_id.to_owned();
        let mut watch = Watch::with_poller(session_id, options, move || {
            let (client, id) = (client.clone(), id.clone());
            Box::pin(async move { client.session(&id).await })
        });
        if let Err(error) = super::check_id("session_id", session_id) {
            watch.state = WatchState::Failed(Box::new(error));
        }
        watch
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::ResponseMeta;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;
    use std::sync::{Arc, Mutex};

    fn details(status: &str) -> Response<SessionDetails> {
        let data: SessionDetails = serde_json::from_value(serde_json::json!({
            "session": { "_id": "s1", "profileMatchingStatus": status }
        }))
        .unwrap();
        Response::new(
            data,
            ResponseMeta::from_headers(StatusCode::OK, &HeaderMap::new(), 1),
        )
    }

    fn options() -> WaitOptions {
        WaitOptions::default()
            .with_first_interval(Duration::from_secs(1))
            .with_factor(2.0)
            .with_max_interval(Duration::from_secs(5))
            .with_deadline(Duration::from_secs(20))
    }

    /// A watch whose polls answer from `script` (first answer first), recording when each poll
    /// started (seconds since the watch was made).
    fn scripted(script: Vec<Result<&'static str, Error>>) -> (Watch, Arc<Mutex<Vec<u64>>>) {
        let start = Instant::now();
        let polled_at = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&polled_at);
        let mut script = script.into_iter();
        let watch = Watch::with_poller("s1", options(), move || {
            log.lock().unwrap().push(start.elapsed().as_secs());
            let answer = script.next().unwrap_or(Ok("processing")).map(details);
            Box::pin(async move { answer })
        });
        (watch, polled_at)
    }

    #[tokio::test(start_paused = true)]
    async fn backs_off_and_hits_the_deadline_with_the_last_status() {
        let (watch, polled_at) = scripted(Vec::new());
        let result = run_to_done(watch, |_| {}).await;
        // Waits: 1, 2, 4, 5, 5, then the 3 s left until the 20 s deadline.
        assert_eq!(*polled_at.lock().unwrap(), [0, 1, 3, 7, 12, 17, 20]);
        match result {
            Err(Error::WaitTimeout {
                session_id,
                waited,
                polls,
                last_status,
            }) => {
                assert_eq!(session_id, "s1");
                assert_eq!(waited, Duration::from_secs(20));
                assert_eq!(polls, 7);
                assert_eq!(last_status, Some(ProfileMatchingStatus::Processing));
            }
            other => panic!("expected WaitTimeout, got {other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn stops_at_done_and_reports_changes() {
        let (watch, _) = scripted(vec![
            Ok("processing"),
            Ok("processing"),
            Ok("fetching_more"),
            Ok("done"),
        ]);
        let mut seen = Vec::new();
        let done = run_to_done(watch, |p| {
            seen.push((p.status.clone(), p.changed, p.polls, p.is_done()))
        })
        .await
        .unwrap();
        assert!(done.is_done());
        use ProfileMatchingStatus::*;
        assert_eq!(
            seen,
            [
                (Some(Processing), true, 1, false),
                (Some(Processing), false, 2, false),
                (Some(FetchingMore), true, 3, false),
                (Some(Done), true, 4, true),
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_poll_error_ends_the_wait() {
        let (watch, polled_at) = scripted(vec![
            Ok("processing"),
            Err(Error::invalid_argument("x", "boom")),
            Ok("done"),
        ]);
        let error = run_to_done(watch, |_| {}).await.unwrap_err();
        assert!(matches!(error, Error::InvalidArgument { name: "x", .. }));
        assert_eq!(polled_at.lock().unwrap().len(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn the_stream_yields_each_poll_then_the_timeout_then_ends() {
        let (mut watch, polled_at) = scripted(Vec::new());
        assert!(polled_at.lock().unwrap().is_empty(), "lazy until polled");
        let mut events = Vec::new();
        while let Some(event) = watch.next().await {
            events.push(event.map(|p| p.polls).map_err(|e| e.to_string()));
        }
        let polls: Vec<u32> = events.iter().filter_map(|e| e.clone().ok()).collect();
        assert_eq!(polls, [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(events.len(), 8);
        let last = events.last().unwrap().clone().unwrap_err();
        assert!(
            last.starts_with("session s1 was not done after 20s (7 polls"),
            "{last}"
        );
        assert!(watch.next().await.is_none(), "stays ended");
        assert_eq!(polled_at.lock().unwrap().len(), 7);
        assert!(!watch.into_last_response().unwrap().is_done());
    }

    #[test]
    fn factor_below_one_or_nan_means_constant_intervals() {
        assert_eq!(WaitOptions::default().with_factor(0.5).factor(), 1.0);
        assert_eq!(WaitOptions::default().with_factor(f64::NAN).factor(), 1.0);
    }
}
