"""User configuration (pydantic-settings): flags > environment (``DIALOGGEN_*``) > a TOML
config file (``--config`` or ``$DIALOGGEN_CONFIG``, default ``~/.config/dialoggen/config.toml``)
> defaults. The settings are the fields of :class:`~dialoggen.agent.context.Context` (declared
there once); :func:`load_settings` validates them and ``.context()`` gives the graph's context."""

from __future__ import annotations

import dataclasses
import os
import typing
from pathlib import Path
from typing import Any

from pydantic import Field, create_model
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from .context import Context, default_data_dir

__all__ = ["Settings", "load_settings", "default_config_file", "default_data_dir"]


def default_config_file() -> Path:
    env = os.environ.get("DIALOGGEN_CONFIG")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "dialoggen" / "config.toml"


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
    """Settings with explicit overrides (CLI flags); ``None`` overrides are ignored."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
