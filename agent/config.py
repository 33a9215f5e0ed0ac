"""User configuration (pydantic-settings): flags > environment (``DIALOGGEN_*``) > a TOML
config file (``--config`` or ``$DIALOGGEN_CONFIG``, default ``~/.config/dialoggen/config.toml``)
> defaults. The settings are the fields of :class:`~dialoggen.agent.context.Context` (declared
there once); :func:`load_settings` validates them and ``.context()`` gives the graph's context."""

from __future__ import annotations

import dataclasses
import os
import typing
from typing import Any

from pydantic import Field, ValidationError, create_model
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from .context import Context, default_config_file, default_data_dir
from .errors import ConfigError

__all__ = ["Settings", "load_settings", "default_config_file", "default_data_dir"]


class _SettingsBase(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIALOGGEN_", extra="ignore")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=default_config_file()))

    def context(self) -> Context:
        """The graph's runtime context for these settings."""
        return Context(**{f.name: getattr(self, f.name) for f in dataclasses.fields(Context)})


def _settings_fields() -> dict[str, Any]:
    hints = typing.get_type_hints(Context)
    out: dict[str, Any] = {}
    for f in dataclasses.fields(Context):
        meta = dict(f.metadata)
        help_text = meta.pop("help", None)
        if f.default is not dataclasses.MISSING:
            info = Field(default=f.default, description=help_text, **meta)
        else:
            info = Field(default_factory=f.default_factory, description=help_text, **meta)  # type: ignore[arg-type]
        out[f.name] = (hints[f.name], info)
    return out


#: The user's settings, one per :class:`Context` field.
Settings = create_model("Settings", __base__=_SettingsBase, __doc__="DialogGen's settings (see Context).", **_settings_fields())


def load_settings(**overrides: Any) -> _SettingsBase:
    """Settings with explicit overrides (CLI flags); ``None`` overrides are ignored.

    Raises :class:`ConfigError` (one sentence naming the setting and where it came from) for
    a bad value, a config file that is not TOML, or one that cannot be read."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, given)) from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigError(
            f"The config file {default_config_file()} is not valid TOML ({_short(exc)}): fix it, or point --config or DIALOGGEN_CONFIG at another file."
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"Cannot read the config file {default_config_file()} ({exc.strerror or type(exc).__name__}): fix it, or point --config or DIALOGGEN_CONFIG at another file."
        ) from None


def _short(value: Any, limit: int = 80) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _explain(exc: ValidationError, given: dict[str, Any]) -> str:
    """One sentence for the first bad setting: its name, value, where it came from, the rule."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    name = str(first["loc"][0]) if first.get("loc") else "?"
    env = f"DIALOGGEN_{name.upper()}"
    if name in given:
        source = "the command line"
    elif env in os.environ:
        source = f"the environment variable {env}"
    else:
        source = f"the config file {default_config_file()}"
    rule = _short(first.get("msg", "invalid")).rstrip(".")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"Bad value {_short(repr(first.get('input')), 60)} for the setting {name} from {source}{more}: {rule[:1].lower() + rule[1:]}."
