//! `use_insights`: the findings about the run on screen, worked out and
//! marked up by the tools worker (`domain::formats::tools`,
//! [`Op::Insights`]) once per subject. None are shown until the answer for
//! the current subject comes: a finding about an older run must not appear
//! under a newer one's name.

use yew::prelude::*;

use std::rc::Rc;

use crate::domain::analysis::compare_table::escape;
use crate::domain::formats::tools::Op;
use crate::domain::state::selectors::InsightKey;
use crate::runtime::workers::tools_host;

/// `job` is the request for `key`'s subject (`None`: no finished run); the
/// answer is the panel's list items (empty: no findings).
#[hook]
pub fn use_insights(key: Option<InsightKey>, job: Rc<Option<String>>) -> AttrValue {
    // The newest answer, with the subject it is about. The worker answers
    // in order, so the last answer set is for the last subject asked.
    let answer = use_state(|| (None::<InsightKey>, AttrValue::default()));
    {
        let answer = answer.setter();
        use_effect_with(key, move |&key| {
            if let (Some(key), Some(job)) = (key, (*job).clone()) {
                wasm_bindgen_futures::spawn_local(async move {
                    let items = tools_host::call(Op::Insights, job)
                        .await
                        .unwrap_or_else(|why| unavailable(&why));
                    answer.set((Some(key), items.into()));
                });
            }
        });
    }
    match &*answer {
        (shown, items) if key.is_some() && *shown == key => items.clone(),
        _ => AttrValue::default(),
    }
}

/// What the panel says when the worker could not answer.
fn unavailable(why: &str) -> String {
    format!(
        "<li class=\"insight warn\" data-kind=\"unavailable\"><span class=\"insight-mark\" aria-hidden=\"true\">!</span><span class=\"visually-hidden\">Warning: </span>the findings about this run could not be worked out: {}</li>",
        escape(why)
    )
}
