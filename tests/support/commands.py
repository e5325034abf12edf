"""Running `flask` commands in tests as an operator runs them."""

from __future__ import annotations

from flask.cli import FlaskGroup
from flask.testing import FlaskCliRunner


class CommandRunner(FlaskCliRunner):
    """Runs a command as `flask <command>` does: through FlaskGroup, which pushes an app context
    of the command's own (app.test_cli_runner() calls app.cli directly, which pushes none)."""

    def invoke(self, cli=None, args=None, **kwargs):
        flask = FlaskGroup(create_app=lambda: self.app, add_default_commands=False, add_version_option=False,
                           load_dotenv=False, set_debug_flag=False)
        return super().invoke(cli or flask, args, **kwargs)
