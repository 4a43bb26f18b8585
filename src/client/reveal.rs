//! Revealing many contacts: bounded concurrency, no repeats, and a stop at the first sign that
//! credits ran out.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::FuturesUnordered;

use super::{Client, Response};
use crate::error::{ApiError, Error};
use fj_sourcing_query::RevealType;

use crate::model::Contacts;

/// How many reveals [`RevealContacts`] keeps in flight unless told otherwise.
pub(crate) const DEFAULT_REVEAL_CONCURRENCY: usize = 4;

type Revealed = (String, Result<Response<Contacts>, Error>);
type RevealFuture = Pin<Box<dyn Future<Output = Revealed> + Send>>;

/// The reveals of [`Client::reveal_contacts`]: a [`Stream`] of
/// `(url, Result<Response<Contacts>, Error>)`, one item per distinct URL.
///
/// * At most [`concurrency`](Self::concurrency) reveals are in flight (default 4); items come
///   in the order the answers arrive.
/// * A URL given more than once is revealed once and answered once (URLs are compared as
///   given: `…/in/a` and `…/in/a/` are two URLs).
/// * Each reveal goes through [`Client::reveal_contact`], so the client's
///   [credit cap](crate::ClientBuilder::credit_cap), retries and argument checks apply.
/// * As soon as one reveal fails with [`Error::CreditCap`] or [`Error::PaymentRequired`],
///   no further reveal is sent: every URL not yet started comes back with that same error
///   (a copy), without a request. Reveals already in flight finish and are yielded as they
///   answer.
///
/// Nothing is sent until the stream is first polled. Dropping it cancels the reveals in
/// flight (their requests may already have been charged; the client counts them as spent).
#[must_use = "a stream does nothing unless polled"]
pub struct RevealContacts {
    client: Client,
    session_id: String,
    reveal: RevealType,
    concurrency: usize,
    pending: VecDeque<String>,
    in_flight: FuturesUnordered<RevealFuture>,
    /// Set by the first reveal refused for lack of credits: what every URL not started gets.
    stop: Option<Stop>,
}

/// Why the remaining URLs are not sent.
enum Stop {
    Cap { cap: u64, spent: u64 },
    PaymentRequired(ApiError),
}

impl Stop {
    fn of(error: &Error) -> Option<Stop> {
        match error {
            Error::CreditCap { cap, spent } => Some(Stop::Cap {
                cap: *cap,
                spent: *spent,
            }),
            Error::PaymentRequired(api) => Some(Stop::PaymentRequired(api.clone())),
            _ => None,
        }
    }

    fn error(&self) -> Error {
        match self {
            Stop::Cap { cap, spent } => Error::CreditCap {
                cap: *cap,
                spent: *spent,
            },
            Stop::PaymentRequired(api) => Error::PaymentRequired(api.clone()),
        }
    }
}

impl fmt::Debug for RevealContacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // URLs name people: counts only.
        f.debug_struct("RevealContacts")
            .field("session_id", &self.session_id)
            .field("reveal", &self.reveal)
            .field("concurrency", &self.concurrency)
            .field("pending", &self.pending.len())
            .field("in_flight", &self.in_flight.len())
            .field("stopped", &self.stop.is_some())
            .finish()
    }
}

impl RevealContacts {
    /// At most `n` reveals in flight at once (at least 1; `0` counts as 1).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    fn start(&self, url: String) -> RevealFuture {
        let client = self.client.clone();
        let session_id = self.session_id.clone();
        let reveal = self.reveal;
        Box::pin(async move {
            let result = client.reveal_contact(&session_id, &url, reveal).await;
            (url, result)
        })
    }
}

impl Stream for RevealContacts {
    type Item = Revealed;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(stop) = &this.stop
                && let Some(url) = this.pending.pop_front()
            {
                return Poll::Ready(Some((url, Err(stop.error()))));
            }
            while this.stop.is_none() && this.in_flight.len() < this.concurrency {
                let Some(url) = this.pending.pop_front() else {
                    break;
                };
                let future = this.start(url);
                this.in_flight.push(future);
            }
            if this.in_flight.is_empty() {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.in_flight).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => continue,
                Poll::Ready(Some((url, result))) => {
                    if this.stop.is_none() {
                        this.stop = result.as_ref().err().and_then(Stop::of);
                    }
                    return Poll::Ready(Some((url, result)));
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.pending.len() + self.in_flight.len();
        (left, Some(left))
    }
}

impl Client {
    /// Reveals the `reveal` contact of each candidate in `linkedin_urls` (within session
    /// `session_id`), a few at a time, as a [`Stream`] of `(url, result)`. Charges credits for
    /// each reveal. See [`RevealContacts`] for the concurrency, the de-duplication and the stop
    /// on [`Error::CreditCap`] or [`Error::PaymentRequired`].
    ///
    /// ```no_run
    /// use fj_sourcing::RevealType;
    /// use futures_util::StreamExt;
    /// # async fn run(client: fj_sourcing::Client, urls: Vec<String>) -> Result<(), fj_sourcing::Error> {
    /// let mut reveals = client
    ///     .reveal_contacts("6a0c77936e7a0151430c91fd", urls, RevealType::Email)
    ///     .concurrency(8);
    /// while let Some((url, result)) = reveals.next().await {
    ///     match result {
    ///         Ok(contacts) => println!("{url}: {:?}", contacts.values(RevealType::Email)),
    ///         Err(e) => eprintln!("{url}: {e}"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// URLs are started in the order given, so under a [credit
    /// cap](crate::ClientBuilder::credit_cap) the first ones are revealed. To spend it on the
    /// best candidates, as `fj reveal --from-profiles` does, sort them by `final_score` first
    /// (`sort_by` is stable: ties keep the API's order; `None` sorts last):
    ///
    /// ```no_run
    /// # use fj_sourcing::RevealType;
    /// # async fn run(client: fj_sourcing::Client, id: &str) -> Result<(), fj_sourcing::Error> {
    /// let page = client.profiles(id, 1, 100).await?;
    /// let mut best: Vec<_> = page.docs.iter().filter(|c| c.final_score >= Some(4.0)).collect();
    /// best.sort_by(|a, b| b.final_score.partial_cmp(&a.final_score).unwrap_or(std::cmp::Ordering::Equal));
    /// let urls = best.iter().filter_map(|c| c.linkedin_url()).map(str::to_owned);
    /// let reveals = client.reveal_contacts(id, urls, RevealType::Email);
    /// # drop(reveals);
    /// # Ok(()) }
    /// ```
    pub fn reveal_contacts<I>(
        &self,
        session_id: &str,
        linkedin_urls: I,
        reveal: RevealType,
    ) -> RevealContacts
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let mut distinct = HashSet::new();
        let pending = linkedin_urls
            .into_iter()
            .map(Into::into)
            .filter(|url: &String| distinct.insert(url.clone()))
            .collect();
        RevealContacts {
            client: self.clone(),
            session_id: session_id.to_owned(),
            reveal,
            concurrency: DEFAULT_REVEAL_CONCURRENCY,
            pending,
            in_flight: FuturesUnordered::new(),
            stop: None,
        }
    }
}
