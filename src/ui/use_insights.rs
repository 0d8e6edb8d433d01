//! `use_insights`: the findings about the run on screen, worked out by the
//! tools worker (`domain::formats::tools`, [`Op::Insights`]) once per
//! subject. None are shown until the answer for the current subject comes:
//! a finding about an older run must not appear under a newer one's name.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::analysis::insights::{Insight, Severity};
use crate::domain::formats::tools::{insights_from_answer, Op};
use crate::domain::state::selectors::InsightKey;
use crate::runtime::workers::tools_host;

/// `job` is the request for `key`'s subject (`None`: no finished run).
#[hook]
pub fn use_insights(key: Option<InsightKey>, job: Rc<Option<String>>) -> Rc<Vec<Insight>> {
    // The newest answer, with the subject it is about. The worker answers
    // in order, so the last answer set is for the last subject asked.
    let answer = use_state(|| (None::<InsightKey>, Rc::new(Vec::<Insight>::new())));
    {
        let answer = answer.setter();
        use_effect_with(key, move |&key| {
            if let (Some(key), Some(job)) = (key, (*job).clone()) {
                wasm_bindgen_futures::spawn_local(async move {
                    let reply = tools_host::call(Op::Insights, job).await;
                    let items = reply
                        .and_then(|text| insights_from_answer(&text))
                        .unwrap_or_else(|why| unavailable(&why));
                    answer.set((Some(key), Rc::new(items)));
                });
            }
        });
    }
    match &*answer {
        (shown, items) if key.is_some() && *shown == key => items.clone(),
        _ => Rc::default(),
    }
}

/// What the panel says when the worker could not answer.
fn unavailable(why: &str) -> Vec<Insight> {
    vec![Insight {
        severity: Severity::Warn,
        kind: "unavailable".to_string(),
        text: format!("the findings about this run could not be worked out: {why}"),
    }]
}
