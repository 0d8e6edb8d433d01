//! The Web Worker behind `asyncio.to_thread`: one pool thread.

#[cfg(target_arch = "wasm32")]
fn main() {
    async_playground::runtime::workers::pool_thread::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker runs in the browser, loaded by the app.");
}
