//! Waiting for a session's search to finish: polling Get Session Details with backoff.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use super::{Client, Response};
use crate::error::Error;
use crate::model::{ProfileMatchingStatus, SessionDetails};

/// How [`Client::wait_until_done`] polls.
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

    fn next_interval(&self, interval: Duration) -> Duration {
        let grown = Duration::try_from_secs_f64(interval.as_secs_f64() * self.factor)
            .unwrap_or(self.max_interval);
        grown.min(self.max_interval)
    }
}

/// One poll's outcome, passed to the progress callback of
/// [`Client::wait_until_done_with`].
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

impl Client {
    /// Polls Get Session Details until `profileMatchingStatus` is `done`, and returns that last
    /// answer.
    ///
    /// Waits grow from `first_interval` by `factor` up to `max_interval`. Reaching the deadline
    /// first is [`Error::WaitTimeout`] (with the last status seen). Errors of a poll end the wait
    /// (reads are already retried by the client's [`RetryPolicy`](crate::RetryPolicy)). Every
    /// status other than `done`, including unknown ones, keeps the wait going: the reference
    /// documents no failure status. To show progress, use
    /// [`wait_until_done_with`](Client::wait_until_done_with).
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
        super::check_id("session_id", session_id)?;
        wait_loop(
            session_id,
            &options,
            || self.session(session_id),
            on_progress,
        )
        .await
    }
}

/// The polling loop, apart from HTTP so that it can be tested with paused time.
pub(crate) async fn wait_loop<F, Fut>(
    session_id: &str,
    options: &WaitOptions,
    mut poll: F,
    mut on_progress: impl FnMut(&Progress),
) -> Result<Response<SessionDetails>, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Response<SessionDetails>, Error>>,
{
    let started = Instant::now();
    let deadline = started + options.deadline;
    let mut interval = options.first_interval;
    let mut last: Option<ProfileMatchingStatus> = None;
    let mut polls = 0u32;
    loop {
        let response = poll().await?;
        polls += 1;
        let status = response.status().cloned();
        let progress = Progress {
            changed: polls == 1 || status != last,
            status,
            polls,
            elapsed: started.elapsed(),
        };
        tracing::debug!(session_id, status = ?progress.status, polls, "session polled");
        on_progress(&progress);
        if response.is_done() {
            return Ok(response);
        }
        last = progress.status;
        let now = Instant::now();
        if now >= deadline {
            return Err(Error::WaitTimeout {
                session_id: session_id.to_owned(),
                waited: now - started,
                polls,
                last_status: last,
            });
        }
        tokio::time::sleep(interval.min(deadline - now)).await;
        interval = options.next_interval(interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::ResponseMeta;
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;
    use std::cell::RefCell;

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

    #[tokio::test(start_paused = true)]
    async fn backs_off_and_hits_the_deadline_with_the_last_status() {
        let polled_at = RefCell::new(Vec::new());
        let start = Instant::now();
        let result = wait_loop(
            "s1",
            &options(),
            || {
                polled_at.borrow_mut().push(start.elapsed().as_secs());
                async { Ok(details("processing")) }
            },
            |_| {},
        )
        .await;
        // Waits: 1, 2, 4, 5, 5, then the 3 s left until the 20 s deadline.
        assert_eq!(*polled_at.borrow(), [0, 1, 3, 7, 12, 17, 20]);
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
        let script = RefCell::new(vec!["done", "fetching_more", "processing", "processing"]);
        let seen = RefCell::new(Vec::new());
        let done = wait_loop(
            "s1",
            &options(),
            || {
                let status = script.borrow_mut().pop().unwrap();
                async move { Ok(details(status)) }
            },
            |p| {
                seen.borrow_mut()
                    .push((p.status.clone(), p.changed, p.polls))
            },
        )
        .await
        .unwrap();
        assert!(done.is_done());
        use ProfileMatchingStatus::*;
        assert_eq!(
            *seen.borrow(),
            [
                (Some(Processing), true, 1),
                (Some(Processing), false, 2),
                (Some(FetchingMore), true, 3),
                (Some(Done), true, 4),
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_poll_error_ends_the_wait() {
        let calls = RefCell::new(0);
        let error = wait_loop(
            "s1",
            &options(),
            || {
                *calls.borrow_mut() += 1;
                let n = *calls.borrow();
                async move {
                    if n == 2 {
                        Err(Error::invalid_argument("x", "boom"))
                    } else {
                        Ok(details("processing"))
                    }
                }
            },
            |_| {},
        )
        .await
        .unwrap_err();
        assert!(matches!(error, Error::InvalidArgument { name: "x", .. }));
        assert_eq!(*calls.borrow(), 2);
    }

    #[test]
    fn factor_below_one_or_nan_means_constant_intervals() {
        assert_eq!(WaitOptions::default().with_factor(0.5).factor(), 1.0);
        assert_eq!(WaitOptions::default().with_factor(f64::NAN).factor(), 1.0);
    }
}
