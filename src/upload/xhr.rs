//! The PUT to the store, with XMLHttpRequest: `fetch` cannot report upload
//! progress, and the progress bar must be real.
//!
//! The URL is a credential: nothing here logs it, and errors carry only a
//! status.

use super::machine::PutOutcome;
use lanyard_wire::UploadTicket;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, ProgressEvent, XmlHttpRequest};

/// A PUT in flight. Dropping it (or [`Put::abort`]) stops the request and
/// detaches the handlers, so late events are never delivered: a request
/// nobody holds any more is one nobody wants the outcome of.
pub struct Put {
    xhr: XmlHttpRequest,
    _progress: Closure<dyn FnMut(ProgressEvent)>,
    _done: Closure<dyn FnMut(web_sys::Event)>,
}

impl Put {
    /// Sends `blob` to the ticket's URL with exactly the ticket's headers.
    /// `on_progress(loaded, total)` follows `upload.onprogress`; `on_done`
    /// is called once, with the store's status or a network error.
    pub fn start(
        ticket: &UploadTicket,
        blob: &Blob,
        mut on_progress: impl FnMut(f64, f64) + 'static,
        on_done: impl FnOnce(PutOutcome) + 'static,
    ) -> Result<Self, JsValue> {
        let xhr = XmlHttpRequest::new()?;
        xhr.open_with_async("PUT", &ticket.url, true)?;
        for header in &ticket.headers {
            xhr.set_request_header(&header.name, &header.value)?;
        }
        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
            if ev.length_computable() {
                on_progress(ev.loaded(), ev.total());
            }
        });
        xhr.upload()?
            .set_onprogress(Some(progress.as_ref().unchecked_ref()));

        // `loadend` follows load, error, timeout and abort alike; status 0
        // means no answer arrived.
        let mut on_done = Some(on_done);
        let probe = xhr.clone();
        let done = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            let outcome = match probe.status() {
                Ok(0) | Err(_) => PutOutcome::NetworkError,
                Ok(status) => PutOutcome::Status(status),
            };
            if let Some(done) = on_done.take() {
                done(outcome);
            }
        });
        xhr.set_onloadend(Some(done.as_ref().unchecked_ref()));
        xhr.send_with_opt_blob(Some(blob))?;
        Ok(Self {
            xhr,
            _progress: progress,
            _done: done,
        })
    }

    /// Stops the request; no outcome is reported for it.
    pub fn abort(&self) {
        self.detach();
        // Aborting a finished request is a no-op; it cannot fail otherwise.
        let _ = self.xhr.abort();
    }

    fn detach(&self) {
        self.xhr.set_onloadend(None);
        if let Ok(upload) = self.xhr.upload() {
            upload.set_onprogress(None);
        }
    }
}

impl Drop for Put {
    fn drop(&mut self) {
        // The closures die with this value: the browser must not call them.
        // Aborting a request that has ended does nothing.
        self.abort();
    }
}
