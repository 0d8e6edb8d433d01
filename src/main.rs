//! Binary entry point: installs the panic hook and exports the two ways to
//! mount (see `ui::mount`). Nothing is mounted on load: boot.js (the app's
//! page) calls `start_app`, embed.js (a tutorial page) calls `mount` per
//! playground.

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    pub fn start_app() {
        async_playground::ui::mount::start_app();
    }

    #[wasm_bindgen]
    pub fn mount(
        root: web_sys::Element,
        scenario: &str,
        options: &str,
        base: &str,
        worker_loader: &str,
        tools_loader: &str,
    ) -> JsValue {
        async_playground::ui::mount::mount(
            root,
            scenario,
            options,
            base,
            worker_loader,
            tools_loader,
        )
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("async-playground runs in the browser: use `make serve`.");
}
