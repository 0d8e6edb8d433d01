//! `localStorage`, with its failures as values: storage can be switched off
//! (privacy settings, sandboxed iframes throw on access) or full. The app
//! keeps working either way; the caller words a message.

use wasm_bindgen::JsCast;

/// Why storage could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// No storage here (disabled, sandboxed, private mode).
    Unavailable,
    /// The browser's quota for this site is used up.
    Full,
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StorageError::Unavailable => "this browser does not allow storage here",
            StorageError::Full => "the browser's storage for this site is full",
        })
    }
}

fn local() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .ok_or(StorageError::Unavailable)?
        .local_storage()
        .ok()
        .flatten()
        .ok_or(StorageError::Unavailable)
}

/// The text stored under `key`, if any.
pub fn load(key: &str) -> Result<Option<String>, StorageError> {
    local()?
        .get_item(key)
        .map_err(|_| StorageError::Unavailable)
}

/// Stores `text` under `key`.
pub fn save(key: &str, text: &str) -> Result<(), StorageError> {
    local()?.set_item(key, text).map_err(|e| {
        let name = e.dyn_ref::<web_sys::DomException>().map(|d| d.name());
        match name.as_deref() {
            Some("QuotaExceededError") | Some("NS_ERROR_DOM_QUOTA_REACHED") => StorageError::Full,
            _ => StorageError::Unavailable,
        }
    })
}

/// Forgets `key` (errors ignored: there is nothing left to protect).
pub fn remove(key: &str) {
    if let Ok(storage) = local() {
        let _ = storage.remove_item(key);
    }
}

/// Calls `on_change` whenever another tab of this site changes the
/// storage (the `storage` event, which a tab's own writes never fire); the
/// caller reads its key again. Stops when the listener is dropped.
pub fn watch(on_change: impl Fn() + 'static) -> Option<gloo_events::EventListener> {
    let window = web_sys::window()?;
    Some(gloo_events::EventListener::new(
        &window,
        "storage",
        move |_| on_change(),
    ))
}
