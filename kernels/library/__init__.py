"""The kernel library: kernel text, the named presets, the generators and the editor's tools."""
