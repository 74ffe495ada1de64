#!/usr/bin/env node
// The installed `airdeck` command: the built CLI does the work.
require('../dist/main/cli.cjs');
