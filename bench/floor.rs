//! The start-up floor for `make bench`: the smallest Yew app built with the
//! same crates and release profile as Async Playground, one heading and an
//! enabled `#run-compare` button. Its size and time to interactive are what
//! any Yew app pays on this machine before it has a feature.

#[cfg(target_arch = "wasm32")]
mod app {
    use yew::prelude::*;

    #[component(Floor)]
    pub fn floor() -> Html {
        let clicks = use_state(|| 0u32);
        let onclick = {
            let clicks = clicks.clone();
            Callback::from(move |_: MouseEvent| clicks.set(*clicks + 1))
        };
        html! {
            <main>
                <h1>{ "Async Playground" }</h1>
                <button id="run-compare" {onclick}>{ format!("Compare ({})", *clicks) }</button>
            </main>
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    let root = root_element();
    yew::Renderer::<app::Floor>::with_root(root).render();
}

#[cfg(target_arch = "wasm32")]
fn root_element() -> web_sys::Element {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
        .expect("the floor page has a #app element")
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
