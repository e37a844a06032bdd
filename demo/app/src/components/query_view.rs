use leptos::prelude::*;

use crate::api::ApiError;

/// Renders a query's value with `view`, a loading line while it loads, and
/// the error message when it failed.
#[component]
pub fn QueryView<T, V, F>(
    resource: LocalResource<Result<T, ApiError>>,
    view: F,
    #[prop(default = "Loading…")] loading: &'static str,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=move || view! { <p class="muted">{loading}</p> }>
            {move || {
                let view = view.clone();
                resource.get().map(move |result| match result {
                    Ok(value) => view(value).into_any(),
                    Err(error) => view! { <p class="error">{error.message}</p> }.into_any(),
                })
            }}
        </Suspense>
    }
}
