#!/bin/sh
# Runs inside an image for benchmarks/jvm-start/run.sh (which mounts its work folder at /bench): the fixture,
# and one round of measurements. Each measured command runs once with the image's class-data archive and
# once without (PBTNAS_CDS=on / off), in the order given; each line printed is
#   <command> <on|off> <microseconds>
# timed inside the container, from just before the launcher starts to the process's exit (to the first
# training batch's progress event for the trainer), so container start-up is not in it.
#
#   round.sh fixture TRAINER-ENTRYPOINT...        (trainer image) two members' gen-0 checkpoints
#   round.sh bucket                               (operator image) one of them uploaded, for `stage`
#   round.sh classes operator|TRAINER-ENTRYPOINT...  what each command loads from the archive and from jars
#   round.sh operator ROUND "on off"|"off on"
#   round.sh trainer ROUND "on off"|"off on" TRAINER-ENTRYPOINT...
# The bucket: AWS_ENDPOINT_URL and the keys in /bench/aws.env (run.sh's S3 gateway).
set -eu
root=/bench/root
space='{"genes":[{"name":"cell0","options":["conv3x3","conv5x5","sepconv3x3","dilconv3x3","maxpool","skip"]},{"name":"cell1","options":["conv3x3","conv5x5","sepconv3x3","dilconv3x3","maxpool","skip"]},{"name":"cell2","options":["conv3x3","conv5x5","sepconv3x3","dilconv3x3","maxpool","skip"]},{"name":"cell3","options":["conv3x3","conv5x5","sepconv3x3","dilconv3x3","maxpool","skip"]}]}'
genome0='{"cell0":"conv3x3","cell1":"sepconv3x3","cell2":"maxpool","cell3":"conv5x5"}'
genome1='{"cell0":"dilconv3x3","cell1":"conv3x3","cell2":"skip","cell3":"sepconv3x3"}'
# The quickstart's trainer settings (examples/quickstart.yaml) on fewer images: ten training batches.
args='{"batchSize":64,"learningRate":0.002,"width":12,"trainSubset":640,"validationSubset":256,"testSubset":256,"progressEvery":1}'
bucket=s3://jvm-start/search
[ -f /bench/aws.env ] && . /bench/aws.env

now() { date +%s%N; }
fail() { cat /tmp/round.out >&2 2>/dev/null || true; echo "round.sh: $*" >&2; exit 1; }

# One training step of member $1 to $2, with the trainer ENTRYPOINT given after them; its output to stdout.
step() {
  member=$1 dir=$2; shift 2
  genome=$genome0
  [ "$member" = 1 ] && genome=$genome1
  PBTNAS_GENOME=$genome PBTNAS_SEARCH_SPACE=$space PBTNAS_TASK=fashion-mnist PBTNAS_TASK_ARGS=$args PBTNAS_SEED=$member \
    PBTNAS_MEMBER=$member PBTNAS_GENERATION=0 PBTNAS_EPOCH_FROM=0 PBTNAS_EPOCH_TO=1 PBTNAS_OUTPUT_DIR=$dir \
    PBTNAS_TERMINATION_LOG=$dir.termination-log "$@"
}

# COMMAND... in mode $2 (on, off), named $1; in `classes` each JVM logs the classes it loads.
jvm() {
  name=$1 mode=$2; shift 2
  if [ -n "${classes:-}" ]; then
    JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=/tmp/classes-$name-$mode.%p.log" PBTNAS_CDS=$mode "$@"
  else
    PBTNAS_CDS=$mode "$@"
  fi
}

# Time to exit of `pbtnas ARG...` in mode $2, named $1.
measure() {
  name=$1 mode=$2; shift 2
  t0=$(now)
  jvm "$name" "$mode" pbtnas "$@" > /tmp/round.out 2>&1 || fail "pbtnas $name ($mode) failed"
  t1=$(now)
  echo "$name $mode $(((t1 - t0) / 1000))"
}

# A number of its own for round $1's run in mode $2: mix outputs and upload attempts must be new each time
# (they would otherwise be found done), and an attempt's folder is attempt-<digits>.
run_id() { if [ "$2" = on ]; then echo $((1000 + $1 * 10 + 1)); else echo $((1000 + $1 * 10 + 2)); fi; }

# The operator image's commands, as the member pods run them (operator PbtnasCommands), once in mode $1,
# run $2 (run_id).
operator_commands() {
  mode=$1 k=$2
  measure version "$mode" --version
  plan='{"parent":0,"donor":1,"swappedGenes":["cell0","cell3"],"shrink":0.4,"perturb":0.1,"seed":'$k','
  plan=$plan'"parentCheckpoint":"members/0/gen-0/model.safetensors","donorCheckpoint":"members/1/gen-0/model.safetensors",'
  plan=$plan'"output":"members/0/gen-1/mix-'$k'.safetensors"}'
  measure mix "$mode" mix --root "$root" --plan "$plan" --search-space "$space" --termination-log /tmp/tl
  rm -f "$root/members/0/gen-1/mix-$k.safetensors"
  measure verify "$mode" verify --dir "$root/members/0/gen-0" --genome "$genome0" --epoch 1 --termination-log /tmp/tl
  measure verify-upload "$mode" verify --dir "$root/members/0/gen-0" --genome "$genome0" --epoch 1 \
    --upload "$bucket/members/0/gen-0/attempt-$k" --termination-log /tmp/tl
  rm -rf /tmp/staged
  measure stage "$mode" stage --root "$bucket" --output-root /tmp/staged \
    --checkpoint members/0/gen-0/attempt-0/model.safetensors --termination-log /tmp/tl
}

trainer_commands() {
  mode=$1 k=$2; shift 2
  rm -rf "/tmp/step-$k" /tmp/first-batch
  t0=$(now)
  jvm trainer-first-batch "$mode" step 0 "/tmp/step-$k" "$@" 2>/tmp/round.err | {
    while IFS= read -r line; do
      case $line in
        *'"event":"progress"'*) echo "trainer-first-batch $mode $((($(now) - t0) / 1000))" > /tmp/first-batch; break ;;
      esac
    done
    cat > /dev/null
  }
  [ -s /tmp/first-batch ] || { cat /tmp/round.err >&2; fail "the trainer ($mode) printed no progress event"; }
  cat /tmp/first-batch
  measure eval "$mode" eval --json "$root/members/1/gen-0"
}

case "$1" in
  fixture)
    shift
    for m in 0 1; do
      step "$m" "$root/members/$m/gen-0" "$@" > /tmp/round.out 2>&1 || fail "training member $m failed"
      printf '{"task":"fashion-mnist","args":%s}\n' "$args" > "$root/members/$m/gen-0/task.json"
    done
    mkdir -p "$root/members/0/gen-1"
    echo "fixture: $(ls -l "$root"/members/*/gen-0/model.safetensors | awk '{s += $5} END {print s}') bytes of checkpoints" ;;
  bucket)
    pbtnas verify --dir "$root/members/0/gen-0" --genome "$genome0" --epoch 1 --upload "$bucket/members/0/gen-0/attempt-0" ;;
  classes)
    shift
    classes=yes
    rm -f /tmp/classes-*.log
    for mode in on off; do
      if [ "$1" = operator ]; then
        operator_commands "$mode" "$(run_id 99 "$mode")" > /dev/null
      else
        trainer_commands "$mode" "$(run_id 99 "$mode")" "$@" > /dev/null
      fi
    done
    # Per command and mode (eval: its JVM and its trainer's together): from the archive, from jars.
    for f in /tmp/classes-*.log; do
      name=${f#/tmp/classes-}
      echo "${name%%.*} $(grep -c 'source: shared objects file' "$f") $(grep -vc 'source: shared objects file' "$f")"
    done | awk '{ shared[$1] += $2; jars[$1] += $3 } END { for (k in shared) print "classes", k, shared[k], jars[k] }' ;;
  operator)
    for mode in $3; do operator_commands "$mode" "$(run_id "$2" "$mode")"; done ;;
  trainer)
    round=$2 modes=$3; shift 3
    for mode in $modes; do trainer_commands "$mode" "$(run_id "$round" "$mode")" "$@"; done ;;
  *) echo "round.sh: unknown step '$1'" >&2; exit 2 ;;
esac
