#!/usr/bin/env node
// The bin only loads the compiled CLI; `npm ci` builds it through `prepare`.
import '../dist/cli/bin.js';
