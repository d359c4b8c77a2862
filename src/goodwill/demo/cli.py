"""`goodwill demo`: build Northwind Money when it is absent, print the login, and serve."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn

from goodwill.cli_support import console, err_console, handle_errors, session_factory
from goodwill.config import get_settings
from goodwill.demo import staff


class _FileProgress:
    """A Rich progress display: a spinner while generating, then one bar per imported file."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.generating: TaskID | None = progress.add_task("generating 18 months of history")
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, name: str, done: int, total: int) -> None:
        if self.generating is not None:
            self.progress.update(self.generating, total=1, completed=1)
            self.generating = None
        task = self.tasks.get(name)
        if task is None:
            task = self.tasks[name] = self.progress.add_task(f"importing {name}", total=total)
        self.progress.update(task, completed=min(done, total))


def _build(*, seed: int, customers: int, force: bool) -> None:
    from goodwill.demo import service  # the generator, importer and models: only when building

    factory = session_factory()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        console=err_console,
        transient=False,
    )
    with progress:
        summary = service.build(
            factory=factory,
            settings=get_settings(),
            seed=seed,
            customers=customers,
            force=force,
            on_progress=_FileProgress(progress),
        )
    data = "Banking77 and CDNOW" if summary.generation.used_banking77 else "built-in texts"
    console.print(
        f"Built [bold]{staff.ORGANISATION_NAME}[/]: {summary.customers:,} customers, "
        f"{summary.interactions:,} interactions ({data}); generated in "
        f"{summary.generation_seconds:.1f} s, imported in {summary.import_seconds:.1f} s, "
        f"{summary.analysed_messages:,} messages analysed in {summary.analysis_seconds:.1f} s",
        highlight=False,
    )


@handle_errors
def demo_command(
    build_only: Annotated[
        bool, typer.Option("--build-only", help="build the demo and exit without serving")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="drop and rebuild the demo")] = False,
    seed: Annotated[int, typer.Option(help="random seed: the same seed, the same demo")] = 7,
    customers: Annotated[int, typer.Option(help="how many customers to generate")] = 2000,
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
) -> None:
    """Build the demo organisation Northwind Money (once), print its login, and serve it."""
    from goodwill.demo import service

    existing = service.get_existing(factory=session_factory())
    if existing is None or force:
        _build(seed=seed, customers=customers, force=force)
    else:
        console.print(
            f"The demo organisation {existing.name} is already built (rebuild with --force).",
            highlight=False,
        )
    console.print(f"Sign in at [bold]http://{host}:{port}/login[/]", highlight=False)
    console.print(f"  e-mail:   {staff.ADMIN_EMAIL}", highlight=False)
    console.print(f"  password: {staff.DEMO_PASSWORD}", highlight=False)
    others = ", ".join(m.email.split("@")[0] for m in staff.STAFF if m.email != staff.ADMIN_EMAIL)
    console.print(f"  (also {others} @{staff.DOMAIN}, same password)", highlight=False)
    if build_only:
        return
    from goodwill.server import serve

    serve(get_settings(), host=host, port=port)


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the ``goodwill`` command."""
    app.command("demo")(demo_command)
