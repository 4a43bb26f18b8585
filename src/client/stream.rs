//! Every candidate of a session as a stream, page after page; resumable from a cursor.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream::FuturesOrdered;
use serde::{Deserialize, Serialize};
use tokio::task::{JoinError, JoinHandle};

use super::{Client, Response};
use crate::error::{DecodeError, Error};
use crate::model::{Candidate, ObjectId, ProfilePage};

type PageResult = Result<Response<ProfilePage>, Error>;

/// Pages in a row that bring no candidate not yet yielded, while announcing a next page, after
/// which a stream gives up with an error: a server that keeps announcing such pages would
/// otherwise be walked until the page number ran out. Three allows for a list that shifted
/// under the walk (a Fetch More batch landing ahead of it).
pub(crate) const MAX_STALE_PAGES: u32 = 3;

/// Pages in flight unless [`ProfileStream::concurrency`] says otherwise: the round trips of an
/// export shrink about fourfold while a burst stays small for the server.
const DEFAULT_PAGES_IN_FLIGHT: usize = 4;

/// Where a [`ProfileStream`] stands: the session, the page size, the next page to request and
/// how many candidates at the start of that page were already yielded. From
/// [`ProfileStream::position`]; resume with [`Client::profiles_stream_from`].
///
/// `Copy`, and serializes as
/// `{"sessionId": "6a0c77936e7a0151430c91fd", "pageSize": 50, "nextPage": 3, "skip": 0}`, so
/// an export can save it anywhere and go on later (in another process) without repeating or
/// missing a candidate, as long as the server's list keeps its order. The session id is an
/// [`ObjectId`], the fixed-size form the reference gives session ids, which is what makes the
/// cursor `Copy`; a stream over an id of another form has no cursor.
///
/// The set of candidate ids already yielded is not part of the cursor (it grows with the
/// export), so a candidate that the server moves from an earlier page to a later one between
/// the two runs can be yielded twice; within one run it cannot.
///
/// ```
/// use fj_sourcing::ProfileCursor;
///
/// let cursor = ProfileCursor::new("6a0c77936e7a0151430c91fd".parse()?, 50)?;
/// assert_eq!((cursor.next_page(), cursor.skip()), (1, 0));
/// let saved = serde_json::to_string(&cursor).unwrap();
/// assert_eq!(
///     saved,
///     r#"{"sessionId":"6a0c77936e7a0151430c91fd","pageSize":50,"nextPage":1,"skip":0}"#
/// );
/// assert_eq!(serde_json::from_str::<ProfileCursor>(&saved).unwrap(), cursor);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "CursorFields")]
pub struct ProfileCursor {
    session_id: ObjectId,
    page_size: u32,
    next_page: u32,
    skip: u32,
}

/// A cursor as read, before it is checked.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CursorFields {
    session_id: ObjectId,
    page_size: u32,
    next_page: u32,
    #[serde(default)]
    skip: u32,
}

impl TryFrom<CursorFields> for ProfileCursor {
    type Error = String;

    fn try_from(fields: CursorFields) -> Result<Self, String> {
        if fields.page_size == 0 {
            return Err("pageSize must be at least 1".to_owned());
        }
        if fields.next_page == 0 {
            return Err("nextPage must be at least 1 (pages are numbered from 1)".to_owned());
        }
        Ok(ProfileCursor {
            session_id: fields.session_id,
            page_size: fields.page_size,
            next_page: fields.next_page,
            skip: fields.skip,
        })
    }
}

impl ProfileCursor {
    /// The start of a walk over `session_id`'s candidates, `page_size` per request: page 1,
    /// nothing skipped. [`Error::InvalidArgument`] for a page size of 0.
    pub fn new(session_id: ObjectId, page_size: u32) -> Result<ProfileCursor, Error> {
        if page_size == 0 {
            return Err(Error::invalid_argument("page_size", "must be at least 1"));
        }
        Ok(ProfileCursor {
            session_id,
            page_size,
            next_page: 1,
            skip: 0,
        })
    }

    /// The session walked.
    pub fn session_id(&self) -> ObjectId {
        self.session_id
    }

    /// Candidates per request (`limit`).
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// The page to request next (1-based).
    pub fn next_page(&self) -> u32 {
        self.next_page
    }

    /// How many candidates at the start of [`next_page`](Self::next_page) were already yielded
    /// (skipped on resuming). Once the last page has been read it is that page's length, so
    /// resuming later yields only candidates added since (by a Fetch More, say).
    pub fn skip(&self) -> u32 {
        self.skip
    }
}

/// The candidates of a session, from [`Client::profiles_stream`] or
/// [`Client::profiles_stream_from`].
///
/// Pages are requested on the Tokio runtime, up to [`concurrency`](Self::concurrency) of them
/// in flight at once (4 by default), and their candidates are yielded in page order, each once.
/// The first page is requested alone: its `totalPages` says how far to plan ahead. Pages past
/// `totalPages` are requested only once the page before them has announced them
/// (`hasNextPage`/`nextPage`, as the reference says to walk), so a list that grows during the
/// walk is followed to its new end; a page that announces no next page ends the walk and the
/// pages requested past it are dropped. The first error is yielded, then the stream ends.
/// Dropping the stream cancels the requests in flight. Memory holds at most the pages in flight
/// and the one being yielded.
///
/// **Pages at the API's pace.** The pages in flight (the window) start at `concurrency` and
/// follow the server's answers:
/// * a page whose call needed more than one attempt (the client's retry policy went through a
///   `429`, a `5xx` or a timeout) halves the window; a page answered at the first attempt widens
///   it by one, up to `concurrency`;
/// * an answer's `RateLimit-Remaining` of `r` caps the window at `r` (at least 1): a burst does
///   not spend requests the server says are not left;
/// * a page refused with `429` (after the retry policy's own attempts) while the window was
///   wider than one page narrows it to one page and asks for that page again once the server's
///   hint (`Retry-After`, else `RateLimit-Reset`) has passed, rather than ending the export. A
///   `429` with one page in flight, or a hint longer than the retry policy's
///   [`max_wait`](crate::RetryPolicy::max_wait), is the stream's error, as for a single call.
///
/// A candidate whose `_id` was on the page before is skipped, so each candidate appears once even
/// if the list shifts by up to a page between requests (for example when a Fetch More batch lands
/// during the walk; the reference does not say whether new profiles are appended). Only the ids
/// of one page are kept for that, so memory does not grow with the number of candidates. When
/// 3 pages in a row bring nothing new yet each announces a next page, the stream ends
/// with an error rather than walk such a server forever.
///
/// [`position`](Self::position) says where the stream stands, to resume it later.
pub struct ProfileStream {
    client: Client,
    session_id: String,
    /// The id in its fixed-size form, when it has one (for [`ProfileCursor`]s).
    object_id: Option<ObjectId>,
    page_size: u32,
    /// Pages requested and not yet taken, in page order: the pages from the one after the
    /// last taken up to (not including) `next_request`.
    in_flight: FuturesOrdered<Fetch>,
    /// The next page to request, while there is one.
    next_request: Option<u64>,
    /// Pages up to this one may be requested before the page before them has been read.
    plan_to: u64,
    concurrency: usize,
    /// Pages allowed in flight now (1 to `concurrency`).
    window: usize,
    /// An error waiting to be yielded once the buffer is empty.
    failed: Option<Box<Error>>,
    buffer: VecDeque<Buffered>,
    /// The ids on the last page taken.
    seen: HashSet<String>,
    /// Where the walk stands once the buffer is empty: (page, candidates of it already dealt
    /// with).
    resume: (u64, u64),
    /// Candidates at the start of the first page to leave out (a resumed walk).
    skip_first: u64,
    /// Pages in a row that brought nothing new.
    stale: u32,
    /// The arguments were refused: there is no position to give.
    invalid: bool,
    pages_read: u64,
    total_pages: Option<u64>,
    total_docs: Option<u64>,
}

/// A candidate waiting to be yielded, with where it was on its page.
struct Buffered {
    candidate: Candidate,
    page: u64,
    index: u64,
}

/// A page being fetched on the runtime. Dropping it cancels the request.
struct Fetch {
    page: u32,
    task: JoinHandle<PageResult>,
}

impl Future for Fetch {
    type Output = (u32, Result<PageResult, JoinError>);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let page = self.page;
        Pin::new(&mut self.task)
            .poll(cx)
            .map(|joined| (page, joined))
    }
}

impl Drop for Fetch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl fmt::Debug for ProfileStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileStream")
            .field("session_id", &self.session_id)
            .field("page_size", &self.page_size)
            .field("concurrency", &self.concurrency)
            .field("window", &self.window)
            .field("in_flight", &self.in_flight.len())
            .field("next_request", &self.next_request)
            .field("failed", &self.failed.is_some())
            .field("buffered", &self.buffer.len())
            .field("position", &self.position())
            .field("pages_read", &self.pages_read)
            .field("total_pages", &self.total_pages)
            .finish()
    }
}

impl ProfileStream {
    fn new(client: &Client, session_id: &str, page_size: u32, start: (u64, u64)) -> Self {
        // Argument errors surface as the stream's only item, before anything is sent.
        let invalid = super::check_id("session_id", session_id).err().or_else(|| {
            (page_size == 0).then(|| Error::invalid_argument("page_size", "must be at least 1"))
        });
        ProfileStream {
            client: client.clone(),
            session_id: session_id.to_owned(),
            object_id: session_id.parse().ok(),
            page_size,
            in_flight: FuturesOrdered::new(),
            next_request: invalid.is_none().then_some(start.0),
            plan_to: start.0,
            concurrency: DEFAULT_PAGES_IN_FLIGHT,
            window: DEFAULT_PAGES_IN_FLIGHT,
            invalid: invalid.is_some(),
            failed: invalid.map(Box::new),
            buffer: VecDeque::new(),
            seen: HashSet::new(),
            resume: start,
            skip_first: start.1,
            stale: 0,
            pages_read: 0,
            total_pages: None,
            total_docs: None,
        }
    }

    /// At most `n` pages in flight at once (at least 1; `0` counts as 1); the default is 4.
    /// `1` requests one page at a time, the next one while the candidates of the last are being
    /// yielded. The server can narrow it during the walk (see [`ProfileStream`]).
    ///
    /// ```no_run
    /// # fn run(client: fj_sourcing::Client) {
    /// let one_at_a_time = client.profiles_stream("6a0c77936e7a0151430c91fd", 50).concurrency(1);
    /// # }
    /// ```
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self.window = self.concurrency;
        self
    }

    /// How many pages have been taken so far (pages fetched ahead not included).
    pub fn pages_read(&self) -> u64 {
        self.pages_read
    }

    /// `totalPages` of the latest page taken, or `None` before the first page (or when the
    /// server does not send it). It can change during the walk if the list grows.
    pub fn total_pages(&self) -> Option<u64> {
        self.total_pages
    }

    /// `totalDocs` of the latest page taken, or `None` before the first page (or when the
    /// server does not send it): what a progress bar counts the candidates against.
    pub fn total_docs(&self) -> Option<u64> {
        self.total_docs
    }

    /// Where the stream stands: every candidate yielded so far comes before the cursor, every
    /// other one at or after it. Pages fetched ahead but not yet yielded do not move it.
    ///
    /// `None` when the session id is not an [`ObjectId`] (so it has no fixed-size form) or the
    /// stream's arguments were refused. After an error the cursor points at the page that
    /// failed, so resuming tries it again.
    ///
    /// ```no_run
    /// use futures_util::StreamExt;
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let mut stream = client.profiles_stream("6a0c77936e7a0151430c91fd", 50);
    /// for _ in 0..120 {
    ///     let Some(candidate) = stream.next().await else { break };
    ///     println!("{:?}", candidate?.name());
    /// }
    /// let saved = serde_json::to_string(&stream.position().ok_or("not resumable")?)?;
    /// drop(stream);
    /// // ... later, perhaps in another process:
    /// let mut rest = client.profiles_stream_from(serde_json::from_str(&saved)?);
    /// while let Some(candidate) = rest.next().await {
    ///     println!("{:?}", candidate?.name());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn position(&self) -> Option<ProfileCursor> {
        if self.invalid {
            return None;
        }
        let (page, skip) = match self.buffer.front() {
            Some(front) => (front.page, front.index),
            None => self.resume,
        };
        Some(ProfileCursor {
            session_id: self.object_id?,
            page_size: self.page_size,
            next_page: u32::try_from(page).ok()?,
            skip: u32::try_from(skip).ok()?,
        })
    }

    /// Requests `page` on the runtime, after waiting `after`.
    fn request(&self, page: u32, after: Duration) -> Fetch {
        let client = self.client.clone();
        let session_id = self.session_id.clone();
        let page_size = self.page_size;
        let task = tokio::spawn(async move {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            client.profiles(&session_id, page, page_size).await
        });
        Fetch { page, task }
    }

    /// Requests the next pages, as far as the window and the plan allow.
    fn fill(&mut self) {
        while self.in_flight.len() < self.window {
            let Some(page) = self.next_request.filter(|&page| page <= self.plan_to) else {
                return;
            };
            let Ok(number) = u32::try_from(page) else {
                // Only an error once the pages before it are taken and it is really needed.
                if self.in_flight.is_empty() {
                    self.stop(Error::invalid_argument(
                        "page",
                        format!("page {page} is beyond the range this client can request"),
                    ));
                }
                return;
            };
            self.in_flight
                .push_back(self.request(number, Duration::ZERO));
            self.next_request = Some(page + 1);
        }
    }

    /// Ends the walk: nothing more is requested and the requests in flight are cancelled; the
    /// error, if any, is yielded once the buffer is empty.
    fn end(&mut self) {
        self.next_request = None;
        self.in_flight = FuturesOrdered::new();
    }

    fn stop(&mut self, error: Error) {
        self.end();
        self.failed = Some(Box::new(error));
    }

    fn protocol_error(&self, meta: &super::ResponseMeta, reason: String) -> Error {
        Error::Decode(DecodeError::new(
            "GET",
            format!("/sourcing-session/{}/profiles", self.session_id),
            meta,
            reason,
            b"",
        ))
    }

    /// Takes a page (the first one in flight): buffers its new candidates, adjusts the window
    /// and plans the next pages.
    fn accept(&mut self, requested: u64, response: Response<ProfilePage>) {
        let next = response.next_page_number();
        let (page, meta) = response.into_parts();
        self.pages_read += 1;
        self.total_pages = page.total_pages.or(self.total_pages);
        self.total_docs = page.total_docs.or(self.total_docs);
        self.window = if meta.attempts() > 1 {
            self.window / 2
        } else {
            self.window + 1
        }
        .clamp(1, self.concurrency);
        if let Some(remaining) = meta.rate_limit().remaining() {
            let remaining = usize::try_from(remaining).unwrap_or(usize::MAX);
            self.window = self.window.min(remaining.max(1));
        }
        let skip = std::mem::take(&mut self.skip_first);
        let length = page.docs.len() as u64;
        let mut fresh = 0;
        let mut ids = HashSet::with_capacity(page.docs.len());
        for (index, candidate) in (0u64..).zip(page.docs) {
            // Every id on this page is remembered, skipped or repeated ones too, so that the
            // next page leaves them out.
            let new = match &candidate.id {
                Some(id) => ids.insert(id.clone()) && !self.seen.contains(id),
                None => true,
            };
            if index < skip {
                continue;
            }
            if new {
                fresh += 1;
                self.buffer.push_back(Buffered {
                    candidate,
                    page: requested,
                    index,
                });
            }
        }
        self.seen = ids;
        self.stale = if fresh == 0 { self.stale + 1 } else { 0 };
        // Once the buffer is drained: the next page, or, when there is none to go to, this page
        // past what was read of it (where later additions would land).
        let read_to_end = (requested, length.max(skip));
        match next {
            None => {
                self.resume = read_to_end;
                self.end();
            }
            Some(next) if next <= requested => {
                self.resume = read_to_end;
                let reason = format!("nextPage {next} does not advance past page {requested}");
                self.stop(self.protocol_error(&meta, reason));
            }
            Some(next) if self.stale >= MAX_STALE_PAGES => {
                self.resume = (next, 0);
                let reason = format!(
                    "{MAX_STALE_PAGES} pages in a row, up to page {requested}, held only \
                     candidates already yielded, yet each announced a next page; stopped \
                     instead of fetching without end"
                );
                self.stop(self.protocol_error(&meta, reason));
            }
            Some(next) => {
                self.resume = (next, 0);
                // The pages in flight are the ones after this; a server that skips ahead is
                // followed from where it points instead.
                if next != requested + 1 || self.next_request.is_none() {
                    self.end();
                    self.next_request = Some(next);
                }
                self.plan_to = self.plan_to.max(next).max(page.total_pages.unwrap_or(0));
            }
        }
    }

    /// A page's call failed: asks for it again at one page in flight when it was refused with
    /// `429` during a burst, otherwise ends the stream with the error.
    fn refused(&mut self, page: u32, error: Error) -> Option<Error> {
        let wait = error.retry_after().unwrap_or_default();
        let burst = self.window > 1 && matches!(error, Error::RateLimited(_));
        if burst && wait <= self.client.retry_policy().max_wait() {
            self.window = 1;
            self.in_flight.push_front(self.request(page, wait));
            return None;
        }
        self.end();
        Some(error)
    }
}

impl Stream for ProfileStream {
    type Item = Result<Candidate, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            // Before yielding, so that the next pages are on their way while the reader works.
            this.fill();
            if let Some(front) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(front.candidate)));
            }
            if let Some(error) = this.failed.take() {
                return Poll::Ready(Some(Err(*error)));
            }
            let Some((page, joined)) = ready!(this.in_flight.poll_next_unpin(cx)) else {
                return Poll::Ready(None);
            };
            match joined {
                Ok(Ok(response)) => this.accept(u64::from(page), response),
                Ok(Err(error)) => {
                    if let Some(error) = this.refused(page, error) {
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                Err(join_error) if join_error.is_panic() => {
                    std::panic::resume_unwind(join_error.into_panic())
                }
                // Cancelled: only when the runtime shuts down; nobody is reading then.
                Err(_) => return Poll::Ready(None),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let done = self.in_flight.is_empty() && self.next_request.is_none();
        let errors = usize::from(self.failed.is_some());
        let len = self.buffer.len() + errors;
        (len, done.then_some(len))
    }
}

impl Client {
    /// Every candidate of a session, as a [`Stream`]: walks Get Profiles for Session
    /// (`page_size` candidates per request), up to 4 pages in flight (see
    /// [`ProfileStream::concurrency`]), yields the candidates in page order and ends after the
    /// first error. See [`ProfileStream`]; [`ProfileStream::position`] gives a cursor to resume
    /// from with [`profiles_stream_from`](Client::profiles_stream_from).
    ///
    /// Must be polled inside a Tokio runtime. Call it once the session is `done`.
    ///
    /// ```no_run
    /// use futures_util::StreamExt;
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), fj_sourcing::Error> {
    /// let mut candidates = client.profiles_stream("6a0c77936e7a0151430c91fd", 50);
    /// while let Some(candidate) = candidates.next().await {
    ///     let candidate = candidate?;
    ///     println!("{:?} {:?}", candidate.final_score, candidate.name());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn profiles_stream(&self, session_id: &str, page_size: u32) -> ProfileStream {
        ProfileStream::new(self, session_id, page_size, (1, 0))
    }

    /// A [`profiles_stream`](Client::profiles_stream) that starts where `cursor` says: at its
    /// page, leaving out the candidates of that page already yielded. A stream stopped after
    /// some candidates and resumed from its [`position`](ProfileStream::position) yields each
    /// candidate once over both runs, when the server's list kept its order in between.
    ///
    /// ```no_run
    /// use fj_sourcing::ProfileCursor;
    /// use futures_util::StreamExt;
    /// # async fn run(client: fj_sourcing::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let cursor: ProfileCursor = serde_json::from_str(
    ///     r#"{"sessionId":"6a0c77936e7a0151430c91fd","pageSize":50,"nextPage":3,"skip":10}"#,
    /// )?;
    /// let mut rest = client.profiles_stream_from(cursor);
    /// while let Some(candidate) = rest.next().await {
    ///     println!("{:?}", candidate?.name());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn profiles_stream_from(&self, cursor: ProfileCursor) -> ProfileStream {
        ProfileStream::new(
            self,
            &cursor.session_id.to_string(),
            cursor.page_size,
            (u64::from(cursor.next_page), u64::from(cursor.skip)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_that_cannot_be_walked_are_refused_when_read() {
        let read =
            |json: &str| serde_json::from_str::<ProfileCursor>(json).map_err(|e| e.to_string());
        let id = "6a0c77936e7a0151430c91fd";
        assert!(
            read(&format!(
                r#"{{"sessionId":"{id}","pageSize":5,"nextPage":2}}"#
            ))
            .is_ok()
        );
        let zero_size = read(&format!(
            r#"{{"sessionId":"{id}","pageSize":0,"nextPage":2}}"#
        ));
        assert_eq!(zero_size.unwrap_err(), "pageSize must be at least 1");
        let zero_page = read(&format!(
            r#"{{"sessionId":"{id}","pageSize":5,"nextPage":0}}"#
        ));
        assert!(
            zero_page
                .unwrap_err()
                .starts_with("nextPage must be at least 1")
        );
        let bad_id = read(r#"{"sessionId":"s1","pageSize":5,"nextPage":1}"#);
        assert!(bad_id.unwrap_err().starts_with("invalid ObjectId"));
        let unknown = read(&format!(
            r#"{{"sessionId":"{id}","pageSize":5,"nextPage":1,"page":3}}"#
        ));
        assert!(unknown.unwrap_err().contains("unknown field `page`"));
    }

    #[test]
    fn a_stream_has_a_position_only_for_an_object_id_and_valid_arguments() {
        let client = Client::builder().api_key("fjk_x").build().unwrap();
        let id = "6a0c77936e7a0151430c91fd";
        let position = client.profiles_stream(id, 20).position().unwrap();
        assert_eq!(
            position,
            ProfileCursor::new(id.parse().unwrap(), 20).unwrap()
        );
        assert_eq!(client.profiles_stream("s1", 20).position(), None);
        assert_eq!(client.profiles_stream(id, 0).position(), None);
    }
}
