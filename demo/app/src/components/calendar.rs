use leptos::prelude::*;

use crate::api::BlockedRange;
use crate::dates::{days_in_month, Date};

/// A month calendar for picking a stay (or one day, for venues). Past days
/// and blocked days are greyed out and cannot be picked; a stay cannot span
/// a blocked day. Blocked ranges come from a live query, so they change
/// while the page is open.
#[component]
pub fn Calendar(
    blocked: Signal<Vec<BlockedRange>>,
    check_in: RwSignal<Option<Date>>,
    check_out: RwSignal<Option<Date>>,
    #[prop(into)] single_day: Signal<bool>,
) -> impl IntoView {
    let today = Date::today();
    let month = RwSignal::new(today.first_of_month());
    let hint = RwSignal::new(None::<String>);
    let is_blocked = move |date: Date| {
        let text = date.to_string();
        blocked.with(|ranges| ranges.iter().any(|r| r.contains(&text)))
    };
    let pick = move |date: Date| {
        hint.set(None);
        if single_day.get_untracked() {
            check_in.set(Some(date));
            check_out.set(None);
            return;
        }
        match (check_in.get_untracked(), check_out.get_untracked()) {
            (Some(start), None) if date > start => {
                let mut day = start;
                let mut blocked_day = None;
                while day < date {
                    if is_blocked(day) {
                        blocked_day = Some(day);
                        break;
                    }
                    day = day.succ();
                }
                match blocked_day {
                    None => check_out.set(Some(date)),
                    Some(day) => {
                        hint.set(Some(format!(
                            "{day} is not available, so a stay from {start} must end by then. {date} is now your check-in."
                        )));
                        check_in.set(Some(date));
                    }
                }
            }
            _ => {
                check_in.set(Some(date));
                check_out.set(None);
            }
        }
    };
    let days = move || {
        let first = month.get();
        let blanks = first.weekday();
        let mut cells: Vec<Option<Date>> = (0..blanks).map(|_| None).collect();
        cells.extend((1..=days_in_month(first.year, first.month)).map(|day| Some(Date { day, ..first })));
        cells
    };
    view! {
        <div class="calendar" data-testid="calendar">
            <div class="calendar-head">
                <button type="button" class="ghost" aria-label="Previous month"
                    disabled=move || month.get() <= today.first_of_month()
                    on:click=move |_| month.update(|m| *m = m.previous_month())>"‹"</button>
                <strong>{move || month.get().month_title()}</strong>
                <button type="button" class="ghost" aria-label="Next month" on:click=move |_| month.update(|m| *m = m.next_month())>"›"</button>
            </div>
            <div class="calendar-grid">
                {["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"].map(|d| view! { <span class="weekday">{d}</span> })}
                {move || days().into_iter().map(|cell| match cell {
                    None => view! { <span></span> }.into_any(),
                    Some(date) => {
                        let past = date < today;
                        let blocked_day = move || is_blocked(date);
                        let selected = move || {
                            let start = check_in.get();
                            let end = check_out.get();
                            start == Some(date) || end == Some(date) || matches!((start, end), (Some(s), Some(e)) if s < date && date < e)
                        };
                        view! {
                            <button type="button"
                                class=move || format!("day{}{}{}", if past { " past" } else { "" }, if blocked_day() { " blocked" } else { "" }, if selected() { " selected" } else { "" })
                                data-date=date.to_string()
                                title=move || if blocked_day() { "Not available" } else { "" }
                                disabled=move || past || blocked_day()
                                on:click=move |_| pick(date)>
                                {date.day}
                            </button>
                        }.into_any()
                    }
                }).collect_view()}
            </div>
            {move || hint.get().map(|text| view! { <p class="field-error" data-testid="calendar-hint">{text}</p> })}
        </div>
    }
}
