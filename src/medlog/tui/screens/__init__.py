"""The screens: Today, Substances, History, Help."""
