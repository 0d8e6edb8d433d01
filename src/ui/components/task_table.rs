//! "Task timings": the exact numbers behind a timeline, as a table. It is
//! the accessible alternative to the canvas and is only built while open,
//! so a 10,000-task run costs nothing until asked for. The table itself is
//! HTML text (`domain::analysis::task_table`).

use yew::prelude::*;

use crate::ui::use_disclosure::use_disclosure;

use crate::domain::analysis::task_table::task_table_html;
use crate::ui::shared::SharedRun;

#[derive(Properties, PartialEq)]
pub struct TaskTableProps {
    pub run: SharedRun,
}

#[component(TaskTable)]
pub fn task_table(props: &TaskTableProps) -> Html {
    let (open, ontoggle) = use_disclosure(false);
    html! {
        <details class="task-table" {ontoggle}>
            <summary>{ "Task timings" }</summary>
            if open {
                { Html::from_html_unchecked(task_table_html(&props.run.0).into()) }
            }
        </details>
    }
}
