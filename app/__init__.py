"""ParentPass: the application factory."""

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app, one step per line: settings, security, data, language, sign-in, content,
    reports, templates, pages, commands."""
    app = _new_app(test_config)
    _init_security(app)
    _init_data(app)
    _init_language(app)
    _init_login(app)
    _init_content_and_reports(app)
    _init_templates(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _new_app(test_config: dict | None) -> Flask:
    """The Flask object with its settings (TestConfig when `TESTING`, then the overrides)."""
    from app.auth.cookie import SignInCookieInterface
    from app.config import Config, TestConfig

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.session_interface = SignInCookieInterface()
    app.config.from_object(TestConfig if test_config and test_config.get("TESTING") else Config)
    if test_config:
        app.config.from_mapping(test_config)
    return app


def _init_security(app: Flask) -> None:
    """Production's refusals first (a development secret stops start-up), then the headers on
    every response, the security log, CSRF on every POST and the rate limits."""
    from app import seclog
    from app.extensions import csrf, limiter
    from app.web import headers, production

    production.apply(app)
    headers.install(app)
    seclog.install()
    csrf.init_app(app)
    limiter.init_app(app)


def _init_data(app: Flask) -> None:
    from app import models  # noqa: F401  (the whole schema, for Alembic and the shell)
    from app.config import PROJECT_ROOT
    from app.extensions import db, migrate
    from app.web.converters import IdConverter

    app.url_map.converters["id"] = IdConverter
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))


def _init_language(app: Flask) -> None:
    from app import i18n
    from app.classes.timezones import select_timezone
    from app.extensions import babel

    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=select_timezone)
    i18n.install_template_gettext(app)


def _init_content_and_reports(app: Flask) -> None:
    """The content catalogue, loaded and checked once (broken content stops start-up), and the
    roll-ups kept current by every commit (or queued, ROLLUP_REFRESH=queued)."""
    from app.content.registry import install_catalogue
    from app.reports.rollups.events import install as keep_rollups_current
    from app.reports.rollups.queue import check_mode

    install_catalogue(app)
    check_mode(app)
    keep_rollups_current()


def _init_templates(app: Flask) -> None:
    from app import i18n
    from app.classes.relations import relation_label
    from app.content.markdown import render_markdown
    from app.content.pace import course_reading
    from app.invites.wording import token_state_label
    from app.main.errors import register_error_pages
    from app.security import group_code, mask_phone
    from app.web.assets import asset_url

    app.jinja_env.globals.update(
        html_lang=i18n.html_lang,
        elder_mode=i18n.elder_mode,
        content_lang=i18n.content_lang,
        relation_label=relation_label,
        asset=asset_url,
        token_state_label=token_state_label,
        reading=course_reading,
        zip=zip,
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters.update(
        datetime=i18n.show_datetime,
        date=i18n.show_date,
        code=group_code,
        phone=mask_phone,
        markdown=render_markdown,
    )
    register_error_pages(app)


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from app.auth.sessions import load_session
    from app.extensions import login_manager
    from app.timeutil import utcnow

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(token: str):
        """The session token from the signed cookie; an ended session or account is signed out."""
        return load_session(token, utcnow())


def _register_blueprints(app: Flask) -> None:
    from app.account.views import bp as account_bp
    from app.audit_log.views import bp as audit_bp
    from app.auth.views import bp as auth_bp
    from app.certificates.views import bp as certificates_bp
    from app.class_pages import bp as classes_bp
    from app.invites.views import bp as invites_bp
    from app.learning.views import bp as learning_bp
    from app.main.views import bp as main_bp
    from app.quizzes.views import bp as quizzes_bp
    from app.registration.views import bp as registration_bp
    from app.reports.views import bp as reports_bp
    from app.school.views import bp as school_bp
    from app.web.assets import bp as assets_bp
    from app.web.health import bp as health_bp

    blueprints = (
        main_bp,
        auth_bp,
        registration_bp,
        learning_bp,
        quizzes_bp,
        classes_bp,
        invites_bp,
        certificates_bp,
        school_bp,
        audit_bp,
        reports_bp,
        assets_bp,
        account_bp,
        health_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from app.commands.org import org_cli
    from app.demo import demo_cli
    from app.quizzes.content_cli import content_cli
    from app.reports.cli import reports_cli
    from app.retention.cli import purge_command
    from app.web.assets import assets_cli

    for command in (assets_cli, content_cli, demo_cli, org_cli, purge_command, reports_cli):
        app.cli.add_command(command)
