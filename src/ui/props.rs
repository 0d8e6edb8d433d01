//! What a playground is told when it is mounted: the main app, an iframe
//! embed (`?embed`) and an in-page embed differ only in these props.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::formats::embed::EmbedOrigin;
use crate::domain::formats::embed_options::EmbedOptions;
use crate::domain::scenario::doc::ScenarioDoc;

/// Where the main app autosaves (scenario and run history). Embeds and the
/// framed app never read or write it.
pub const AUTOSAVE_KEY: &str = "async-playground:autosave";

#[derive(Properties, PartialEq, Clone, Default)]
pub struct AppProps {
    /// Compact layout for embedding: no page header, the editor collapsed.
    #[prop_or_default]
    pub embed: bool,
    /// The scenario to start with (an in-page embed's own).
    #[prop_or_default]
    pub initial: Option<Rc<ScenarioDoc>>,
    /// A message to show at start (e.g. an in-page scenario was unreadable).
    #[prop_or_default]
    pub start_notice: Option<AttrValue>,
    /// `localStorage` key to autosave under; `None`: no autosave.
    #[prop_or_default]
    pub autosave_key: Option<AttrValue>,
    /// The full app (not an embed) inside another site's iframe: it keeps
    /// no autosave (the page around it must not change the user's) and
    /// says so.
    #[prop_or_default]
    pub framed: bool,
    /// Open a shared scenario from the URL fragment.
    #[prop_or_default]
    pub read_link: bool,
    /// An iframe embed: report heights and results to the parent window and
    /// take its commands, with this origin policy.
    #[prop_or_default]
    pub parent: Option<EmbedOrigin>,
    /// URL of the worker loader (in-page embeds live on other pages);
    /// `None`: next to the page.
    #[prop_or_default]
    pub worker_loader: Option<AttrValue>,
    /// URL of the tools worker's loader (code view, export, import), the
    /// same way; `None`: next to the page.
    #[prop_or_default]
    pub tools_loader: Option<AttrValue>,
    /// Address of the full app, for links out of an embed; `None`: this page.
    #[prop_or_default]
    pub app_url: Option<AttrValue>,
    /// What an embed shows (modes offered, minimal controls, the editor).
    #[prop_or_default]
    pub trim: EmbedOptions,
}
