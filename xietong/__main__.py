from xietong.cli import cli

cli(prog_name="xietong")
