"""User configuration (pydantic-settings): flags > environment (``DIALOGGEN_*``) > a TOML
config file (``--config`` or ``$DIALOGGEN_CONFIG``, default ``~/.config/dialoggen/config.toml``)
> defaults. Produces the :class:`~dialoggen.agent.context.Context` for the graph."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from .context import Context


def default_data_dir() -> Path:
    """Per-user data directory (``$DIALOGGEN_DATA_DIR``, else XDG data home)."""
    env = os.environ.get("DIALOGGEN_DATA_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "dialoggen"


def default_config_file() -> Path:
    env = os.environ.get("DIALOGGEN_CONFIG")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "dialoggen" / "config.toml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIALOGGEN_", extra="ignore")

    intent: str = Field(default="offline", description="Model spec for the intent role.")
    rewrite: str = Field(default="offline", description="Model spec for the rewrite role.")
    chat: str = Field(default="offline", description="Model spec for the chat role.")
    critic: Optional[str] = Field(default=None, description="Model spec for the critic; unset = off.")
    t2i: str = Field(default="none", description="Text-to-image spec: diffusers:PATH_OR_HUB_ID or none.")
    data_dir: Path = Field(default_factory=default_data_dir)
    openai_base_url: Optional[str] = Field(default=None, description="Base URL of an OpenAI-compatible server.")
    img2img_strength: float = 0.6
    steps: Optional[int] = None
    image_size: Optional[int] = None
    default_seed: int = 42
    max_input_chars: int = 4000
    router_shortcut: Optional[float] = Field(default=None, ge=0.5, le=1.0, description="Router confidence that skips an LLM intent call.")

    _config_file: Optional[Path] = None

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
        return Context(
            intent=self.intent,
            rewrite=self.rewrite,
            chat=self.chat,
            critic=self.critic,
            t2i=self.t2i,
            data_dir=str(self.data_dir),
            openai_base_url=self.openai_base_url,
            img2img_strength=self.img2img_strength,
            steps=self.steps,
            image_size=self.image_size,
            default_seed=self.default_seed,
            max_input_chars=self.max_input_chars,
            router_shortcut=self.router_shortcut,
        )


def load_settings(**overrides: Any) -> Settings:
    """Settings with explicit overrides (CLI flags); ``None`` overrides are ignored."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
