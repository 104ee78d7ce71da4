#!/bin/sh
# One article into a copy of a build, with this checkout's code and then with other sources, in one run
# (issue 23):  sh bench/incremental_vs.sh OTHER_SRC GRAPH BUILD AGENTS WORK [link]
# OTHER_SRC: a `src` folder of another commit, e.g. from `git archive COMMIT src ontology | tar -x -C DIR`
# (then DIR/src). Each run prints its stage timings and the load average before and after.
other=$1; shift
for code in this other; do
  echo "== $code"
  if [ $code = other ]; then PYTHONPATH=$other; export PYTHONPATH; else unset PYTHONPATH; fi
  nice .venv/bin/python bench/incremental_one.py "$@" 2>&1 | grep -v "^Thread\|^  File\|^    \|^Current thread"
done
