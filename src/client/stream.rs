//! Every candidate of a session as a stream, page after page; resumable from a cursor.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;

use super::{Client, Response};
use crate::error::{DecodeError, Error};
use crate::model::{Candidate, ObjectId, ProfilePage};

type PageResult = Result<Response<ProfilePage>, Error>;

/// Pages in a row that bring no candidate not yet yielded, while announcing a next page, after
/// which a stream gives up with an error: a server that keeps announcing such pages would
/// otherwise be walked until the page number ran out. Three allows for a list that shifted
/// under the walk (a Fetch More batch landing ahead of it).
pub(crate) const MAX_STALE_PAGES: u32 = 3;

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
/// Pages are requested in order, following `hasNextPage`/`nextPage`. While the candidates of one
/// page are being consumed, the next page is already being fetched (on the Tokio runtime), and no
/// further: at most one page ahead. The first error is yielded, then the stream ends. Dropping the
/// stream cancels the fetch in flight.
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
    state: State,
    buffer: VecDeque<Buffered>,
    /// The ids on the last page fetched.
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
}

/// A candidate waiting to be yielded, with where it was on its page.
struct Buffered {
    candidate: Candidate,
    page: u64,
    index: u64,
}

enum State {
    /// Nothing requested yet (the first page is requested on first poll, inside the runtime).
    Start,
    /// A page is being fetched.
    Fetching {
        page: u64,
        task: JoinHandle<PageResult>,
    },
    /// No page is being fetched and none will be.
    Finished,
    /// An error is waiting to be yielded once the buffer is empty.
    Failed(Box<Error>),
}

impl fmt::Debug for ProfileStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Start => "start".to_owned(),
            State::Fetching { page, .. } => format!("fetching page {page}"),
            State::Finished => "finished".to_owned(),
            State::Failed(_) => "failed".to_owned(),
        };
        f.debug_struct("ProfileStream")
            .field("session_id", &self.session_id)
            .field("page_size", &self.page_size)
            .field("state", &state)
            .field("buffered", &self.buffer.len())
            .field("position", &self.position())
            .field("pages_read", &self.pages_read)
            .field("total_pages", &self.total_pages)
            .finish()
    }
}

impl Drop for ProfileStream {
    fn drop(&mut self) {
        if let State::Fetching { task, .. } = &self.state {
            task.abort();
        }
    }
}

impl ProfileStream {
    fn new(client: &Client, session_id: &str, page_size: u32, start: (u64, u64)) -> Self {
        let mut stream = ProfileStream {
            client: client.clone(),
            session_id: session_id.to_owned(),
            object_id: session_id.parse().ok(),
            page_size,
            state: State::Start,
            buffer: VecDeque::new(),
            seen: HashSet::new(),
            resume: start,
            skip_first: start.1,
            stale: 0,
            invalid: false,
            pages_read: 0,
            total_pages: None,
        };
        // Argument errors surface as the stream's only item, before anything is sent.
        let invalid = super::check_id("session_id", session_id).err().or_else(|| {
            (page_size == 0).then(|| Error::invalid_argument("page_size", "must be at least 1"))
        });
        if let Some(error) = invalid {
            stream.state = State::Failed(Box::new(error));
            stream.invalid = true;
        }
        stream
    }

    /// How many pages have been received so far (the one being fetched ahead not included).
    ///
    /// With [`total_pages`](Self::total_pages) this is what a progress bar shows.
    pub fn pages_read(&self) -> u64 {
        self.pages_read
    }

    /// `totalPages` of the latest page received, or `None` before the first page (or when the
    /// server does not send it). It can change during the walk if the list grows.
    pub fn total_pages(&self) -> Option<u64> {
        self.total_pages
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

    fn fetch(&self, page: u64) -> State {
        let client = self.client.clone();
        let session_id = self.session_id.clone();
        let page_size = self.page_size;
        let Ok(page_number) = u32::try_from(page) else {
            return State::Failed(Box::new(Error::invalid_argument(
                "page",
                format!("page {page} is beyond the range this client can request"),
            )));
        };
        let task =
            tokio::spawn(async move { client.profiles(&session_id, page_number, page_size).await });
        State::Fetching { page, task }
    }

    fn protocol_error(&self, meta: &super::ResponseMeta, reason: String) -> State {
        State::Failed(Box::new(Error::Decode(DecodeError::new(
            "GET",
            format!("/sourcing-session/{}/profiles", self.session_id),
            meta,
            reason,
            b"",
        ))))
    }

    /// Takes a fetched page: buffers its new candidates and starts fetching the next one.
    fn accept(&mut self, requested: u64, response: Response<ProfilePage>) {
        let next = response.next_page_number();
        let (page, meta) = response.into_parts();
        self.pages_read += 1;
        if page.total_pages.is_some() {
            self.total_pages = page.total_pages;
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
        (self.resume, self.state) = match next {
            None => (read_to_end, State::Finished),
            Some(next) if next <= requested => (
                read_to_end,
                self.protocol_error(
                    &meta,
                    format!("nextPage {next} does not advance past page {requested}"),
                ),
            ),
            Some(next) if self.stale >= MAX_STALE_PAGES => (
                (next, 0),
                self.protocol_error(
                    &meta,
                    format!(
                        "{MAX_STALE_PAGES} pages in a row, up to page {requested}, held only \
                         candidates already yielded, yet each announced a next page; stopped \
                         instead of fetching without end"
                    ),
                ),
            ),
            Some(next) => ((next, 0), self.fetch(next)),
        };
    }
}

impl Stream for ProfileStream {
    type Item = Result<Candidate, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let State::Start = this.state {
                this.state = this.fetch(this.resume.0);
            }
            if let Some(front) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(front.candidate)));
            }
            match &mut this.state {
                State::Start => {}
                State::Finished => return Poll::Ready(None),
                State::Failed(_) => {
                    let State::Failed(error) = std::mem::replace(&mut this.state, State::Finished)
                    else {
                        unreachable!("matched just above")
                    };
                    return Poll::Ready(Some(Err(*error)));
                }
                State::Fetching { page, task } => {
                    let requested = *page;
                    let joined = match Pin::new(task).poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(joined) => joined,
                    };
                    this.state = State::Finished;
                    match joined {
                        Ok(Ok(response)) => this.accept(requested, response),
                        Ok(Err(error)) => return Poll::Ready(Some(Err(error))),
                        Err(join_error) if join_error.is_panic() => {
                            std::panic::resume_unwind(join_error.into_panic())
                        }
                        // Cancelled: only when the runtime shuts down; nobody is reading then.
                        Err(_) => return Poll::Ready(None),
                    }
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.state {
            State::Finished => (self.buffer.len(), Some(self.buffer.len())),
            _ => (self.buffer.len(), None),
        }
    }
}

impl Client {
    /// Every candidate of a session, as a [`Stream`]: walks Get Profiles for Session page by page
    /// (`page_size` candidates per request), fetching at most one page ahead, and ends after the
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
