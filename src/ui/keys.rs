//! Keyboard shortcuts (the list is `modals::SHORTCUTS`), as commands.

use super::command::{AppCommand, Command};

pub fn read(ui: &mut egui::Ui) -> Vec<AppCommand> {
    let mut cmds = Vec::new();
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S)) {
        cmds.push(AppCommand::SaveCase);
    }
    if ui.ctx().egui_wants_keyboard_input() {
        return cmds;
    }
    let shift_cmd = egui::Modifiers::COMMAND | egui::Modifiers::SHIFT;
    ui.input_mut(|i| {
        let redo = i.consume_key(shift_cmd, egui::Key::Z)
            || i.consume_key(egui::Modifiers::COMMAND, egui::Key::Y);
        let undo = i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z);
        let n = |k| i.num_presses(k) as isize;
        let step = n(egui::Key::PageUp) + n(egui::Key::ArrowUp)
            - n(egui::Key::PageDown)
            - n(egui::Key::ArrowDown);
        for (on, cmd) in [
            (undo, AppCommand::Case(Command::Undo)),
            (redo, AppCommand::Case(Command::Redo)),
            (
                i.key_pressed(egui::Key::Enter),
                AppCommand::Case(Command::Confirm),
            ),
            (
                i.key_pressed(egui::Key::Escape),
                AppCommand::Case(Command::Escape),
            ),
            (step != 0, AppCommand::StepSlice(step)),
            (i.key_pressed(egui::Key::Home), AppCommand::ResetView),
            (i.key_pressed(egui::Key::F1), AppCommand::ToggleHelp),
        ] {
            if on {
                cmds.push(cmd);
            }
        }
        use super::view_state::{KEY_BIG_3D, KEY_BIG_PLANE, KEY_FOUR_UP};
        for key in [KEY_FOUR_UP, KEY_BIG_PLANE, KEY_BIG_3D] {
            if i.key_pressed(key) {
                cmds.push(AppCommand::LayoutKey(key));
            }
        }
    });
    cmds
}
