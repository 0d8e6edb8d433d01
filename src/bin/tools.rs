//! The Web Worker that writes programs and files on demand (the code view,
//! export and import); see `domain::formats::tools`.

#[cfg(target_arch = "wasm32")]
fn main() {
    async_playground::runtime::workers::tools_thread::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the tools worker runs in the browser, loaded by the app.");
}
