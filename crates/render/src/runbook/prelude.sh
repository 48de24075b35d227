# ===========================================================================
# runbook 런타임 (bash 4.2 이상; coreutils, sed, awk, grep, diff 만 사용)
#
# 설계 메모
# - 단계의 run 텍스트는 모두 작은따옴표 heredoc 데이터로 들어 있고, 실행할 때만 서브셸에서
#   `set -e` 와 함께 eval 합니다. 가이드에서 온 텍스트가 스크립트 코드로 놓이는 곳은 없습니다.
# - 단계가 바꾼 셸 변수(`. admin-openrc`, `export X=...`)와 작업 디렉터리는 서브셸이 끝날 때
#   덤프되어 다음 단계에 적용되고, /var/lib/runbook/<노드>.env (0600) 에 저장되어 다음 실행이
#   중간부터 이어질 때도 처음에 불러옵니다.
# - 끝난 단계는 /var/lib/runbook/<노드>.state 에 "ID 해시" 로 기록합니다(해시는 run 텍스트의 것).
# - 파일 편집(rb_file, rb_ini, rb_lines, rb_append, rb_write)은 같은 디렉터리의 임시 파일에 쓴 뒤
#   mv 로 바꾸고, 내용이 같으면 건드리지 않으며, 기존 파일을 처음 바꿀 때 FILE.runbook-orig 를
#   한 번 남깁니다.
# - 비밀 변수의 값은 화면, 기록, diff 어디에도 나오지 않고 ******** 로 가려집니다.
# ===========================================================================

RB_STATE_DIR=${RUNBOOK_STATE_DIR:-/var/lib/runbook}
RB_LOG_DIR=${RUNBOOK_LOG_DIR:-/var/log/runbook}
RB_N=0
RB_ID=()
RB_KIND=()
RB_PHASE=()
RB_HASH=()
RB_SRC=()
RB_ANCHOR=()
RB_SVARS=()
RB_TITLE=()
RB_RUN=()
RB_VN=0
RB_VNAME=()
RB_VSECRET=()
RB_VDESC=()
RB_VDEF=()
RB_VHASDEF=()
declare -A RB_DONE=() RB_ENVSET=() RB_VF=() RB_VFN=() rb_envb=() rb_envbx=()
RB_CHECK=0
RB_YES=0
RB_FORCE=0
RB_COLOR=0
RB_INTERACTIVE=0
RB_TMP=''
RB_LOG=''
RB_MASKS=''
RB_ENVCWD=''
RB_DATA=''
RB_OUT=''
RB_P=''
RB_NEW=''
RB_CUR=''
RB_NEWMODE=0644
RB_CNT_OK=0
RB_CNT_CHANGED=0
RB_CNT_SKIPPED=0
RB_CNT_FAILED=0
RB_SEL=()
RB_ENVCWD0=''

# --- 정의 ------------------------------------------------------------------

# rb_step ID KIND PHASE HASH SOURCE ANCHOR VARS TITLE <<'DELIM' (run 텍스트) DELIM
rb_step() {
  local rb_body=''
  IFS= read -r -d '' rb_body || true
  RB_ID[RB_N]=$1
  RB_KIND[RB_N]=$2
  RB_PHASE[RB_N]=$3
  RB_HASH[RB_N]=$4
  RB_SRC[RB_N]=$5
  RB_ANCHOR[RB_N]=$6
  RB_SVARS[RB_N]=$7
  RB_TITLE[RB_N]=$8
  RB_RUN[RB_N]=${rb_body%$'\n'}
  RB_N=$((RB_N + 1))
}

# rb_var NAME SECRET(0|1) DESCRIPTION [DEFAULT]
rb_var() {
  RB_VNAME[RB_VN]=$1
  RB_VSECRET[RB_VN]=$2
  RB_VDESC[RB_VN]=$3
  if [ $# -ge 4 ]; then
    RB_VDEF[RB_VN]=$4
    RB_VHASDEF[RB_VN]=1
  else
    RB_VDEF[RB_VN]=''
    RB_VHASDEF[RB_VN]=0
  fi
  RB_VN=$((RB_VN + 1))
}

# --- 출력 ------------------------------------------------------------------

rb_c() { # COLOUR TEXT
  if [ "$RB_COLOR" = 1 ]; then
    printf '\033[%sm%s\033[0m' "$1" "$2"
  else
    printf '%s' "$2"
  fi
}

rb_err() { printf '%s\n' "$*" >&2; }

# 표준 입력을 그대로 내보내되 비밀 값을 ******** 로 바꿉니다(긴 값부터).
rb_mask() {
  if [ -z "$RB_MASKS" ]; then
    cat
    return
  fi
  RB_MASK_LIST=$RB_MASKS LC_ALL=C awk '
    BEGIN {
      n = split(ENVIRON["RB_MASK_LIST"], m, "\n")
      for (i = 1; i <= n; i++)
        for (j = i + 1; j <= n; j++)
          if (length(m[j]) > length(m[i])) { t = m[i]; m[i] = m[j]; m[j] = t }
    }
    {
      line = $0
      for (i = 1; i <= n; i++) {
        if (m[i] == "") continue
        out = ""
        while ((p = index(line, m[i])) > 0) {
          out = out substr(line, 1, p - 1) "********"
          line = substr(line, p + length(m[i]))
        }
        line = out line
      }
      print line
    }'
}

rb_log() { # TEXT...
  [ -n "$RB_LOG" ] || return 0
  printf '%s\n' "$*" | rb_mask >>"$RB_LOG" 2>/dev/null || true
}

rb_log_file() { # FILE: indented, masked
  [ -n "$RB_LOG" ] || return 0
  [ -s "$1" ] || return 0
  rb_mask <"$1" | sed 's/^/    /' >>"$RB_LOG" 2>/dev/null || true
}

rb_label() { # INDEX
  printf '[%s/%s] %s %s ...' "$(($1 + 1))" "$RB_N" "${RB_ID[$1]}" "${RB_TITLE[$1]}"
}

rb_report() { # INDEX STATUS
  local rb_col
  case $2 in
    ok) rb_col=32; RB_CNT_OK=$((RB_CNT_OK + 1)) ;;
    changed) rb_col=33; RB_CNT_CHANGED=$((RB_CNT_CHANGED + 1)) ;;
    skipped) rb_col=36; RB_CNT_SKIPPED=$((RB_CNT_SKIPPED + 1)) ;;
    *) rb_col=31; RB_CNT_FAILED=$((RB_CNT_FAILED + 1)) ;;
  esac
  printf '%s %s\n' "$(rb_label "$1")" "$(rb_c "$rb_col" "$2")"
  rb_log "$(rb_label "$1") $2"
}

rb_summary() {
  local rb_s
  rb_s="ok=$RB_CNT_OK changed=$RB_CNT_CHANGED skipped=$RB_CNT_SKIPPED failed=$RB_CNT_FAILED"
  printf '%s\n' "$rb_s"
  rb_log "== $(date '+%Y-%m-%d %H:%M:%S') 끝: $rb_s"
}

rb_indent() { # FILE: masked, indented to stdout
  [ -s "$1" ] || return 0
  rb_mask <"$1" | sed 's/^/    /'
}

rb_help() {
  local rb_i rb_phases=''
  for ((rb_i = 0; rb_i < RB_N; rb_i++)); do
    case " $rb_phases " in
      *" ${RB_PHASE[rb_i]} "*) ;;
      *) rb_phases="$rb_phases ${RB_PHASE[rb_i]}" ;;
    esac
  done
  cat <<EOF
사용법: $0 [옵션]

가이드: $RB_GUIDE
노드: $RB_NODE
단계: ${RB_N}개, 단계 묶음(phase): ${rb_phases# } (가이드 전체 ${RB_PHASES}개)

옵션:
  --help          이 도움말
  --list          모든 단계(ID, 묶음, 종류, 제목)와 이 호스트에서 끝났는지 보기
  --check         시험 실행: 바뀔 내용(파일은 unified diff, 그 밖에는 명령)만 보여 주고 아무것도 바꾸지 않음
  --phase N       묶음 N 의 단계만 실행
  --from ID       ID 단계부터 실행
  --only ID       ID 단계만 실행
  --vars FILE     FILE 의 NAME=값 줄에서 변수를 읽음 (NODE__NAME=값 은 그 노드에서만; 환경 변수보다 우선)
  --yes           묻지 않음: 없는 변수는 오류, 수동 단계는 건너뛰고 보고
  --force         이미 끝난 단계도 다시 실행

종료 코드: 0 모두 성공(또는 이미 끝남), 1 단계 실패, 2 잘못된 옵션, 3 실행 전 검사 실패(변수 등)
상태: $RB_STATE_DIR/$RB_NODE.state, 환경: $RB_STATE_DIR/$RB_NODE.env, 기록: $RB_LOG_DIR/$RB_NODE.log
SQL 단계는 로컬 mysql 클라이언트를 root 로 실행합니다(/root/.my.cnf 또는 MYSQL_PWD 로 암호 지정).
EOF
}

rb_usage() { # MESSAGE
  rb_err "오류: $1"
  rb_err "도움말: $0 --help"
  exit 2
}

# --- 상태와 환경 -------------------------------------------------------------

rb_state_file() { printf '%s/%s.state' "$RB_STATE_DIR" "$RB_NODE"; }

rb_state_load() {
  local rb_f rb_id rb_h
  rb_f=$(rb_state_file)
  [ -r "$rb_f" ] || return 0
  while read -r rb_id rb_h; do
    [[ $rb_id =~ ^[a-z0-9-]+$ ]] || continue
    RB_DONE[$rb_id]=$rb_h
  done <"$rb_f"
}

rb_is_done() { # INDEX
  [ "${RB_DONE[${RB_ID[$1]}]-}" = "${RB_HASH[$1]}" ]
}

rb_state_add() { # INDEX
  local rb_f rb_k
  rb_f=$(rb_state_file)
  RB_DONE[${RB_ID[$1]}]=${RB_HASH[$1]}
  for rb_k in "${!RB_DONE[@]}"; do
    printf '%s %s\n' "$rb_k" "${RB_DONE[$rb_k]}"
  done | LC_ALL=C sort >"$rb_f.tmp" && mv -f -- "$rb_f.tmp" "$rb_f"
}

rb_env_file() { printf '%s/%s.env' "$RB_STATE_DIR" "$RB_NODE"; }

# 변수 이름이 셸이나 런타임 자신의 것이면 0
rb_env_skip() {
  case $1 in
    RB_* | rb_* | BASH* | _ | PWD | OLDPWD | SHLVL | SHELLOPTS | PIPESTATUS | FUNCNAME | GROUPS | \
      DIRSTACK | LINENO | RANDOM | SECONDS | PPID | UID | EUID | HOSTNAME | HOSTTYPE | OSTYPE | \
      MACHTYPE | IFS | OPTARG | OPTIND | OPTERR | COMP_* | COLUMNS | LINES | HISTCMD | EPOCH* | \
      SRANDOM | PS1 | PS2 | PS3 | PS4 | MAILCHECK | REPLY | TMOUT)
      return 0
      ;;
  esac
  return 1
}

rb_env_begin() {
  local rb_n
  rb_envb=()
  rb_envbx=()
  for rb_n in $(compgen -e); do rb_envbx[$rb_n]=1; done
  for rb_n in $(compgen -v); do
    rb_env_skip "$rb_n" && continue
    [ -n "${!rb_n+x}" ] || continue
    rb_envb[$rb_n]=${!rb_n}
  done
  RB_ENVCWD0=$PWD
}

rb_env_end() { # FILE
  local rb_n
  local -A rb_arr=() rb_exp=()
  for rb_n in $(compgen -A arrayvar); do rb_arr[$rb_n]=1; done
  for rb_n in $(compgen -e); do rb_exp[$rb_n]=1; done
  {
    for rb_n in $(compgen -v); do
      rb_env_skip "$rb_n" && continue
      [ -z "${rb_arr[$rb_n]-}" ] || continue
      [ -n "${!rb_n+x}" ] || continue
      if [ -z "${rb_envb[$rb_n]+x}" ] || [ "${rb_envb[$rb_n]}" != "${!rb_n}" ] ||
        [ "${rb_envbx[$rb_n]-}" != "${rb_exp[$rb_n]-}" ]; then
        if [ -n "${rb_exp[$rb_n]-}" ]; then
          printf 'export %s=%q\n' "$rb_n" "${!rb_n}"
        else
          printf '%s=%q\n' "$rb_n" "${!rb_n}"
        fi
      fi
    done
    for rb_n in "${!rb_envb[@]}"; do
      if [ -z "${!rb_n+x}" ]; then printf 'unset %s\n' "$rb_n"; fi
    done
    if [ "$PWD" != "$RB_ENVCWD0" ]; then printf 'cd -- %q\n' "$PWD"; fi
  } >"$1"
}

# 덤프를 이 셸에 적용하고 기억합니다.
rb_env_apply() { # FILE
  local rb_line rb_n
  [ -s "$1" ] || return 1
  while IFS= read -r rb_line; do
    case $rb_line in
      'export '*)
        rb_n=${rb_line#export }
        rb_n=${rb_n%%=*}
        RB_ENVSET[$rb_n]='export'
        ;;
      'unset '*)
        rb_n=${rb_line#unset }
        unset "RB_ENVSET[$rb_n]"
        ;;
      'cd -- '*) ;;
      *=*)
        rb_n=${rb_line%%=*}
        RB_ENVSET[$rb_n]='plain'
        ;;
    esac
  done <"$1"
  # shellcheck disable=SC1090
  . "$1"
  if grep -q '^cd -- ' "$1"; then RB_ENVCWD=$PWD; fi
  return 0
}

rb_env_save() {
  local rb_f rb_n
  rb_f=$(rb_env_file)
  {
    printf '# runbook %s: 단계가 설정한 환경 (다음 실행이 처음에 불러옵니다)\n' "$RB_NODE"
    for rb_n in $(printf '%s\n' "${!RB_ENVSET[@]}" | LC_ALL=C sort); do
      [[ $rb_n =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
      [ -n "${!rb_n+x}" ] || continue
      if [ "${RB_ENVSET[$rb_n]}" = export ]; then
        printf 'export %s=%q\n' "$rb_n" "${!rb_n}"
      else
        printf '%s=%q\n' "$rb_n" "${!rb_n}"
      fi
    done
    if [ -n "$RB_ENVCWD" ]; then printf 'cd -- %q 2>/dev/null || true\n' "$RB_ENVCWD"; fi
  } >"$rb_f.tmp" && chmod 600 "$rb_f.tmp" && mv -f -- "$rb_f.tmp" "$rb_f"
}

rb_env_load() {
  local rb_f
  rb_f=$(rb_env_file)
  [ -r "$rb_f" ] || return 0
  rb_env_apply "$rb_f" >/dev/null 2>&1 || true
}

# --- 변수 --------------------------------------------------------------------

rb_read_varsfile() { # FILE
  local rb_line rb_k rb_v rb_no=0
  if [ ! -r "$1" ] || [ -d "$1" ]; then
    rb_err "오류: 변수 파일을 읽을 수 없습니다: $1"
    exit 3
  fi
  while IFS= read -r rb_line || [ -n "$rb_line" ]; do
    rb_no=$((rb_no + 1))
    rb_line=${rb_line%$'\r'}
    rb_line=${rb_line#"${rb_line%%[![:space:]]*}"}
    case $rb_line in '' | '#'*) continue ;; esac
    rb_line=${rb_line#export }
    if [[ $rb_line != *=* ]]; then
      rb_err "경고: $1:$rb_no: NAME=값 형식이 아니어서 무시합니다"
      continue
    fi
    rb_k=${rb_line%%=*}
    rb_v=${rb_line#*=}
    if [ ${#rb_v} -ge 2 ]; then
      case $rb_v in
        \"*\" | \'*\') rb_v=${rb_v:1:${#rb_v}-2} ;;
      esac
    fi
    # an empty value sets nothing (the environment or the default still apply)
    [ -n "$rb_v" ] || continue
    if [[ $rb_k =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
      RB_VF[$rb_k]=$rb_v
    elif [[ $rb_k =~ ^([a-z0-9_-]+)__([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
      if [ "${BASH_REMATCH[1]}" = "$RB_NODE" ]; then RB_VFN[${BASH_REMATCH[2]}]=$rb_v; fi
    else
      rb_err "경고: $1:$rb_no: 변수 이름이 올바르지 않아 무시합니다"
    fi
  done <"$1"
}

rb_vars_resolve() {
  local rb_j rb_n
  for ((rb_j = 0; rb_j < RB_VN; rb_j++)); do
    rb_n=${RB_VNAME[rb_j]}
    if [ -n "${RB_VFN[$rb_n]+x}" ]; then
      printf -v "$rb_n" '%s' "${RB_VFN[$rb_n]}"
    elif [ -n "${RB_VF[$rb_n]+x}" ]; then
      printf -v "$rb_n" '%s' "${RB_VF[$rb_n]}"
    elif [ -n "${!rb_n:-}" ]; then
      :
    elif [ "${RB_VHASDEF[rb_j]}" = 1 ]; then
      printf -v "$rb_n" '%s' "${RB_VDEF[rb_j]}"
    fi
  done
}

rb_var_index() { # NAME -> echo index
  local rb_j
  for ((rb_j = 0; rb_j < RB_VN; rb_j++)); do
    if [ "${RB_VNAME[rb_j]}" = "$1" ]; then
      printf '%s' "$rb_j"
      return 0
    fi
  done
  return 1
}

rb_var_missing() { # NAME: 0 when unset, empty or still the placeholder itself
  local rb_v=${!1-}
  [ -z "$rb_v" ] || [ "$rb_v" = "$1" ] || [ "$rb_v" = "\${$1}" ]
}

# 선택된 단계가 쓰는 변수를 모두 확인합니다(아무것도 바꾸기 전에).
rb_preflight() {
  local rb_i rb_n rb_need=' ' rb_missing=() rb_j rb_v rb_try
  for rb_i in "${RB_SEL[@]}"; do
    if rb_is_done "$rb_i" && [ "$RB_FORCE" = 0 ]; then continue; fi
    case ${RB_KIND[rb_i]} in manual | reboot) continue ;; esac
    for rb_n in ${RB_SVARS[rb_i]}; do
      case $rb_need in *" $rb_n "*) ;; *) rb_need="$rb_need$rb_n " ;; esac
    done
  done
  for rb_n in $rb_need; do
    rb_var_missing "$rb_n" || continue
    rb_j=$(rb_var_index "$rb_n") || rb_j=''
    if [ "$RB_INTERACTIVE" = 1 ]; then
      rb_try=0
      while rb_var_missing "$rb_n" && [ $rb_try -lt 3 ]; do
        rb_try=$((rb_try + 1))
        printf '변수 %s (%s) 값: ' "$rb_n" "${RB_VDESC[${rb_j:-0}]}" >&2
        rb_v=''
        if [ -n "$rb_j" ] && [ "${RB_VSECRET[rb_j]}" = 1 ]; then
          IFS= read -rs rb_v || true
          printf '\n' >&2
        else
          IFS= read -r rb_v || true
        fi
        printf -v "$rb_n" '%s' "$rb_v"
      done
      rb_var_missing "$rb_n" || continue
    fi
    rb_missing+=("$rb_n")
  done
  if [ ${#rb_missing[@]} -gt 0 ]; then
    rb_err "오류: 다음 변수의 값이 없습니다. 아무것도 바꾸지 않았습니다."
    for rb_n in "${rb_missing[@]}"; do
      rb_j=$(rb_var_index "$rb_n") || rb_j=''
      if [ -n "$rb_j" ]; then
        rb_err "  $rb_n  ${RB_VDESC[rb_j]}"
      else
        rb_err "  $rb_n"
      fi
    done
    rb_err "--vars 파일(runbook secrets 가 만든 파일)이나 환경 변수로 값을 주세요."
    exit 3
  fi
}

rb_masks_init() {
  local rb_j rb_n
  RB_MASKS=''
  for ((rb_j = 0; rb_j < RB_VN; rb_j++)); do
    [ "${RB_VSECRET[rb_j]}" = 1 ] || continue
    rb_n=${RB_VNAME[rb_j]}
    if [ -n "${!rb_n:-}" ]; then RB_MASKS+="${!rb_n}"$'\n'; fi
  done
  if [ -n "${MYSQL_PWD:-}" ]; then RB_MASKS+="$MYSQL_PWD"$'\n'; fi
}

# --- 단계가 쓰는 함수 ----------------------------------------------------------

rb_fail() { # MESSAGE
  rb_err "$1"
  return 1
}

rb_read_data() {
  RB_DATA=''
  IFS= read -r -d '' RB_DATA || true
}

rb_has_name() { # "A B C" NAME
  case " $1 " in *" $2 "*) return 0 ;; esac
  return 1
}

# rb_replace_all VAR TEXT FROM TO: 문자 그대로 바꾸기
rb_replace_all() {
  local rb_t=$2 rb_o=''
  while [[ $rb_t == *"$3"* ]]; do
    rb_o+=${rb_t%%"$3"*}$4
    rb_t=${rb_t#*"$3"}
  done
  printf -v "$1" '%s' "$rb_o$rb_t"
}

# rb_subst TEXT NAMES [sql]: ${NAME} 을 선언된 이름에 대해서만 값으로 바꿔 RB_OUT 에 둡니다.
rb_subst() {
  local rb_rest=$1 rb_out='' rb_name rb_val rb_open=\$\{ rb_close=\} rb_bs=\\
  while [[ $rb_rest == *"$rb_open"* ]]; do
    rb_out+=${rb_rest%%"$rb_open"*}
    rb_rest=${rb_rest#*"$rb_open"}
    rb_name=${rb_rest%%"$rb_close"*}
    if [[ $rb_rest == *"$rb_close"* ]] && [[ $rb_name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] &&
      rb_has_name "$2" "$rb_name"; then
      rb_val=${!rb_name-}
      if [ "${3-}" = sql ]; then
        rb_replace_all rb_val "$rb_val" "$rb_bs" "$rb_bs$rb_bs"
        rb_replace_all rb_val "$rb_val" "'" "$rb_bs'"
      fi
      rb_out+=$rb_val
      rb_rest=${rb_rest#*"$rb_close"}
    else
      rb_out+=$rb_open
    fi
  done
  RB_OUT=$rb_out$rb_rest
}

rb_check_placeholders() { # TEXT
  local rb_j
  for ((rb_j = 0; rb_j < RB_VN; rb_j++)); do
    if [[ $1 == *"\${${RB_VNAME[rb_j]}}"* ]]; then
      rb_fail "오류: 자리표시자 \${${RB_VNAME[rb_j]}} 가 값으로 바뀌지 않아 쓰지 않습니다"
      return 1
    fi
  done
}

rb_newmode_for() { # NAMES: 비밀 값이 들어가는 새 파일은 0600
  local rb_n rb_j
  RB_NEWMODE=0644
  for rb_n in $1; do
    rb_j=$(rb_var_index "$rb_n") || continue
    if [ "${RB_VSECRET[rb_j]}" = 1 ]; then RB_NEWMODE=0600; fi
  done
}

rb_shadow() { # PATH -> 시험 실행에서 앞 단계의 결과를 담는 사본
  local rb_sum
  rb_sum=$(printf '%s' "$1" | cksum)
  printf '%s/shadow/%s' "$RB_TMP" "${rb_sum%% *}"
}

# rb_prepare PATH: 대상 경로(RB_P, 심볼릭 링크는 따라감), 새 내용을 쓸 임시 파일(RB_NEW),
# 현재 내용을 읽을 파일(RB_CUR)을 정합니다.
rb_prepare() {
  local rb_dir rb_base rb_sh
  RB_P=$1
  if [ -L "$RB_P" ]; then RB_P=$(readlink -f -- "$RB_P") || return 1; fi
  if [ -e "$RB_P" ] && [ ! -f "$RB_P" ]; then
    rb_fail "오류: $RB_P 는 일반 파일이 아닙니다"
    return 1
  fi
  rb_dir=$(dirname -- "$RB_P")
  rb_base=$(basename -- "$RB_P")
  if [ "$RB_CHECK" = 1 ]; then
    RB_NEW=$RB_TMP/new
    rb_sh=$(rb_shadow "$RB_P")
    if [ -f "$rb_sh" ]; then
      RB_CUR=$rb_sh
    elif [ -f "$RB_P" ]; then
      RB_CUR=$RB_P
    else
      RB_CUR=/dev/null
    fi
  else
    mkdir -p -- "$rb_dir" || return 1
    RB_NEW=$rb_dir/.$rb_base.runbook-tmp
    rm -f -- "$RB_NEW"
    if [ -f "$RB_P" ]; then RB_CUR=$RB_P; else RB_CUR=/dev/null; fi
  fi
}

rb_created() { # PATH: 런북이 만든 파일이면 0 (원본 사본을 남기지 않습니다)
  [ -f "$RB_STATE_DIR/$RB_NODE.created" ] && grep -qxF -- "$1" "$RB_STATE_DIR/$RB_NODE.created"
}

# rb_commit: RB_NEW 의 내용을 RB_P 에 원자적으로 반영(다를 때만).
rb_commit() {
  local rb_sh
  if [ "$RB_CHECK" = 1 ]; then
    if ! cmp -s -- "$RB_CUR" "$RB_NEW"; then
      diff -u --label "$RB_P" --label "$RB_P (변경 후)" -- "$RB_CUR" "$RB_NEW" || true
      : >"$RB_TMP/changed"
    fi
    rb_sh=$(rb_shadow "$RB_P")
    mkdir -p -- "$RB_TMP/shadow"
    mv -f -- "$RB_NEW" "$rb_sh"
    return 0
  fi
  if [ -f "$RB_P" ] && cmp -s -- "$RB_P" "$RB_NEW"; then
    rm -f -- "$RB_NEW"
    return 0
  fi
  if [ -e "$RB_P" ]; then
    if [ ! -e "$RB_P.runbook-orig" ] && ! rb_created "$RB_P"; then
      cp -p -- "$RB_P" "$RB_P.runbook-orig.tmp" && mv -f -- "$RB_P.runbook-orig.tmp" "$RB_P.runbook-orig"
    fi
    chmod --reference="$RB_P" -- "$RB_NEW" 2>/dev/null || true
    chown --reference="$RB_P" -- "$RB_NEW" 2>/dev/null || true
  else
    chmod "$RB_NEWMODE" -- "$RB_NEW"
    # remembered before the file appears, so that a later change keeps no copy of our own file
    if ! rb_created "$RB_P"; then printf '%s\n' "$RB_P" >>"$RB_STATE_DIR/$RB_NODE.created"; fi
  fi
  mv -f -- "$RB_NEW" "$RB_P"
  if command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled && command -v restorecon >/dev/null 2>&1; then
    restorecon -- "$RB_P" 2>/dev/null || true
  fi
  printf '%s\n' "$RB_P" >>"$RB_TMP/changed"
}

# rb_file PATH NAMES [nonl] <<'DELIM' 내용 DELIM: 파일 전체를 그 내용으로
rb_file() {
  rb_read_data
  if [ "${3-}" = nonl ]; then RB_DATA=${RB_DATA%$'\n'}; fi
  rb_subst "$RB_DATA" "$2"
  RB_DATA=$RB_OUT
  rb_check_placeholders "$RB_DATA" || return 1
  rb_subst "$1" "$2"
  rb_check_placeholders "$RB_OUT" || return 1
  rb_prepare "$RB_OUT" || return 1
  rb_newmode_for "$2"
  printf '%s' "$RB_DATA" >"$RB_NEW"
  rb_commit
}

# rb_ini PATH NAMES <<'DELIM' [섹션] 키 = 값 ... DELIM
rb_ini() {
  rb_read_data
  rb_subst "$RB_DATA" "$2"
  RB_DATA=$RB_OUT
  rb_check_placeholders "$RB_DATA" || return 1
  rb_subst "$1" "$2"
  rb_check_placeholders "$RB_OUT" || return 1
  rb_prepare "$RB_OUT" || return 1
  rb_newmode_for "$2"
  printf '%s' "$RB_DATA" >"$RB_TMP/edit.data"
  LC_ALL=C awk "$RB_AWK_INI" "$RB_TMP/edit.data" "$RB_CUR" >"$RB_NEW"
  rm -f -- "$RB_TMP/edit.data"
  rb_commit
}

# rb_lines PATH NAMES <<'DELIM' +있어야 할 줄 / -주석 처리할 줄 ... DELIM
rb_lines() {
  rb_read_data
  rb_subst "$RB_DATA" "$2"
  RB_DATA=$RB_OUT
  rb_check_placeholders "$RB_DATA" || return 1
  rb_subst "$1" "$2"
  rb_check_placeholders "$RB_OUT" || return 1
  rb_prepare "$RB_OUT" || return 1
  rb_newmode_for "$2"
  printf '%s' "$RB_DATA" >"$RB_TMP/edit.data"
  LC_ALL=C awk "$RB_AWK_LINES" "$RB_TMP/edit.data" "$RB_CUR" >"$RB_NEW"
  rm -f -- "$RB_TMP/edit.data"
  rb_commit
}

# rb_sql NAMES <<'DELIM' 문장 DELIM: 로컬 클라이언트로 root 로 실행
rb_sql() {
  rb_read_data
  rb_subst "$RB_DATA" "$1" sql
  RB_DATA=$RB_OUT
  rb_check_placeholders "$RB_DATA" || return 1
  if [ "$RB_CHECK" = 1 ]; then
    printf '%s\n' "$RB_DATA"
    : >"$RB_TMP/changed"
    return 0
  fi
  [ -n "${RB_DATA//[[:space:]]/}" ] || return 0
  if ! command -v mysql >/dev/null 2>&1; then
    rb_fail "오류: mysql 클라이언트가 없습니다"
    return 1
  fi
  printf '%s\n' "$RB_DATA" | mysql -u root
  printf 'sql\n' >>"$RB_TMP/changed"
}

# rb_append FILE: 표준 입력의 줄 가운데 파일에 아직 없는 줄만 덧붙입니다.
rb_append() {
  rb_prepare "$1" || return 1
  RB_NEWMODE=0644
  cat >"$RB_TMP/append.in"
  LC_ALL=C awk 'FILENAME == ARGV[1] { print; seen[$0] = 1; next }
    !($0 in seen) { print; seen[$0] = 1 }' "$RB_CUR" "$RB_TMP/append.in" >"$RB_NEW"
  rm -f -- "$RB_TMP/append.in"
  rb_commit
}

# rb_write FILE: 표준 입력을 파일 내용으로(다를 때만, 원자적으로).
rb_write() {
  rb_prepare "$1" || return 1
  RB_NEWMODE=0644
  cat >"$RB_NEW"
  rb_commit
}

# rb_ln [ln 옵션] TARGET... LINK: 링크가 이미 TARGET 을 가리키면 아무것도 하지 않습니다.
rb_ln() {
  local rb_a rb_pos=() rb_nodir=0 rb_noderef=0 rb_last rb_t rb_l rb_k
  for rb_a in "$@"; do
    case $rb_a in
      --) ;;
      -T | --no-target-directory) rb_nodir=1 ;;
      -n | --no-dereference) rb_noderef=1 ;;
      --*) ;;
      -*)
        case $rb_a in *T*) rb_nodir=1 ;; esac
        case $rb_a in *n*) rb_noderef=1 ;; esac
        ;;
      *) rb_pos+=("$rb_a") ;;
    esac
  done
  if [ ${#rb_pos[@]} -eq 0 ]; then
    ln "$@"
    return
  fi
  if [ ${#rb_pos[@]} -eq 1 ]; then rb_pos+=(.); fi
  rb_last=${rb_pos[${#rb_pos[@]} - 1]}
  for ((rb_k = 0; rb_k < ${#rb_pos[@]} - 1; rb_k++)); do
    rb_t=${rb_pos[rb_k]}
    rb_l=$rb_last
    if [ "$rb_nodir" = 0 ]; then
      if [[ $rb_l == */ ]] || { [ -d "$rb_l" ] && { [ ! -L "$rb_l" ] || [ "$rb_noderef" = 0 ]; }; }; then
        rb_a=${rb_t%/}
        rb_l=${rb_l%/}/${rb_a##*/}
      fi
    fi
    if [ -L "$rb_l" ] && [ "$(readlink -- "$rb_l")" = "$rb_t" ]; then continue; fi
    ln -sfn -- "$rb_t" "$rb_l"
    printf '%s\n' "$rb_l" >>"$RB_TMP/changed"
  done
}

# rb_ok_if_exists CMD...: "이미 있음"(HTTP 409) 오류는 성공으로 칩니다.
rb_ok_if_exists() {
  local rb_o rb_rc=0
  rb_o=$("$@" 2>&1) || rb_rc=$?
  printf '%s\n' "$rb_o"
  if [ "$rb_rc" -ne 0 ]; then
    case $rb_o in
      *'already exists'* | *'(HTTP 409)'*) return 0 ;;
    esac
    return "$rb_rc"
  fi
}

# rb_ok_if_gone CMD...: 지울 것이 이미 없다는 오류(not found)는 성공으로 칩니다.
rb_ok_if_gone() {
  local rb_o rb_rc=0
  rb_o=$("$@" 2>&1) || rb_rc=$?
  printf '%s\n' "$rb_o"
  if [ "$rb_rc" -ne 0 ]; then
    case $rb_o in
      *'not found'* | *'NotFound'* | *'NOT_ENABLED'*) return 0 ;;
    esac
    return "$rb_rc"
  fi
}

# rb_extracted ARCHIVE [DIR]: 아카이브의 맨 위 항목이 모두 DIR(기본: 현재 디렉터리)에 있으면 0.
# 풀어 놓은 트리를 뒤 단계가 고쳤을 수 있으니 다시 풀지 않습니다.
rb_extracted() {
  local rb_top rb_any=0
  [ -f "$1" ] || return 1
  while IFS= read -r rb_top; do
    [ -n "$rb_top" ] || continue
    rb_any=1
    if [ ! -e "${2:-.}/$rb_top" ] && [ ! -L "${2:-.}/$rb_top" ]; then return 1; fi
  done < <(tar -tf "$1" 2>/dev/null | sed -e 's|^\./||' -e 's|/.*||' | sort -u)
  [ "$rb_any" = 1 ]
}

# rb_hdfs_formatted HDFS: 네임노드 디렉터리(dfs.namenode.name.dir)에 current/VERSION 이 있으면 0.
rb_hdfs_formatted() {
  local rb_dirs rb_d rb_list=()
  rb_dirs=$("$1" getconf -confKey dfs.namenode.name.dir 2>/dev/null) || return 1
  IFS=, read -r -a rb_list <<<"$rb_dirs"
  for rb_d in "${rb_list[@]}"; do
    rb_d=${rb_d#file://}
    if [ -n "$rb_d" ] && [ -f "$rb_d/current/VERSION" ]; then return 0; fi
  done
  return 1
}

# rb_once CMD...: 이 노드에서 한 번만 실행합니다(결과가 노드 밖, 예를 들어 ZooKeeper 에 남는 명령).
rb_once() {
  local rb_key rb_f=$RB_STATE_DIR/$RB_NODE.once
  rb_key=$(printf '%s\n' "$*" | cksum)
  rb_key=${rb_key%% *}
  if [ -f "$rb_f" ] && grep -qxF -- "$rb_key" "$rb_f"; then
    printf '이미 실행했습니다: %s\n' "$*"
    return 0
  fi
  "$@" || return
  printf '%s\n' "$rb_key" >>"$rb_f"
}

# rb_ssh_copy_id [ssh-copy-id 옵션] [USER@]HOST: 공개 키를 HOST 의 ~/.ssh/authorized_keys 에 없을
# 때만 덧붙이고(-f 여도 두 번 넣지 않습니다), 처음 보는 호스트 키는 받아들입니다. 암호가 필요하면
# ssh 가 터미널에서 묻습니다.
rb_ssh_copy_id() {
  local rb_key='' rb_host='' rb_k rb_ssh=(ssh)
  if ssh -o StrictHostKeyChecking=accept-new -G localhost >/dev/null 2>&1; then
    rb_ssh+=(-o StrictHostKeyChecking=accept-new)
  else
    rb_ssh+=(-o StrictHostKeyChecking=no)
  fi
  while [ $# -gt 0 ]; do
    case $1 in
      -i) rb_key=$2; shift ;;
      -i*) rb_key=${1#-i} ;;
      -p) rb_ssh+=(-p "$2"); shift ;;
      -o) rb_ssh+=(-o "$2"); shift ;;
      -*) ;;
      *) rb_host=$1 ;;
    esac
    shift
  done
  if [ -z "$rb_key" ]; then
    for rb_k in ~/.ssh/id_ed25519.pub ~/.ssh/id_ecdsa.pub ~/.ssh/id_rsa.pub; do
      if [ -f "$rb_k" ]; then rb_key=$rb_k; break; fi
    done
  fi
  case $rb_key in *.pub | '') ;; *) rb_key=$rb_key.pub ;; esac
  if [ -z "$rb_key" ] || [ ! -f "$rb_key" ] || [ -z "$rb_host" ]; then
    rb_fail "오류: ssh-copy-id 에 보낼 공개 키(${rb_key:-~/.ssh/id_*.pub})나 호스트가 없습니다"
    return 1
  fi
  # shellcheck disable=SC2016 # runs on the remote host
  head -n 1 -- "$rb_key" | "${rb_ssh[@]}" "$rb_host" 'umask 077; mkdir -p .ssh && touch .ssh/authorized_keys && k=$(cat) && { grep -qxF -- "$k" .ssh/authorized_keys || printf "%s\n" "$k" >>.ssh/authorized_keys; }'
}

# --- awk: ini 편집 --------------------------------------------------------------
# 첫 파일: [섹션] / 키 = 값 / 키(값 없음). 둘째 파일: 현재 내용. 결과를 표준 출력으로.
# 키가 섹션에 있으면 첫 줄을 바꾸고(같은 키가 더 있으면 주석 처리), 없으면 주석 처리된 같은 키
# 뒤나 섹션 끝에 넣고, 섹션이 없으면 만듭니다. 다른 줄, 주석, 다른 키는 그대로 둡니다.
# 한 단계에서 같은 키에 서로 다른 값을 여러 번 주면(다중 값 키) 그 값들이 모두 남습니다.
# shellcheck disable=SC2016 # an awk program
RB_AWK_INI='
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function ins(pos, text,   k) { for (k = n; k >= pos; k--) L[k + 1] = L[k]; L[pos] = text; n++ }
function header(s,   t) {
  t = trim(s)
  if (substr(t, 1, 1) != "[" || index(t, "]") == 0) return "\001"
  t = substr(t, 2, index(t, "]") - 2)
  return trim(t)
}
function keyof(s,   t, c, p) {
  t = trim(s); c = substr(t, 1, 1)
  if (t == "" || c == "#" || c == ";" || c == "[") return ""
  p = index(t, "=")
  if (p == 0) { if (t ~ /[ \t]/) return ""; return t }
  return trim(substr(t, 1, p - 1))
}
function ckeyof(s,   t, p) {
  t = trim(s)
  if (substr(t, 1, 1) != "#" && substr(t, 1, 1) != ";") return ""
  sub(/^[#;]+[ \t]*/, "", t)
  p = index(t, "=")
  if (p == 0) return ""
  t = trim(substr(t, 1, p - 1))
  if (t == "" || t ~ /[ \t]/) return ""
  return t
}
function fmt(id, j, tight) {
  if (bare[id, j]) return key[id]
  if (tight) return key[id] "=" val[id, j]
  return key[id] " = " val[id, j]
}
function apply(id,   s, i, h, cur, m, occ, cpos, lastne, found, firsthdr, j, pos, tight, nv) {
  s = sec[id]; cur = "DEFAULT"; m = 0; cpos = 0; lastne = 0; found = 0; firsthdr = 0
  for (i = 1; i <= n; i++) {
    h = header(L[i])
    if (h != "\001") {
      cur = h
      if (!firsthdr) firsthdr = i
      if (h == s) { found = 1; lastne = i }
      continue
    }
    if (cur != s) continue
    if (trim(L[i]) != "") lastne = i
    if (keyof(L[i]) != "" && !firsthdr && s == "DEFAULT") found = 1
    if (keyof(L[i]) == key[id]) occ[++m] = i
    else if (ckeyof(L[i]) == key[id]) { if (!cpos) cpos = i }
  }
  nv = cnt[id]
  for (j = 1; j <= m && j <= nv; j++) {
    tight = (L[occ[j]] ~ /^[ \t]*[^ \t=]+=/)
    L[occ[j]] = fmt(id, j, tight)
  }
  for (j = nv + 1; j <= m; j++) L[occ[j]] = "#" L[occ[j]]
  if (nv <= m) return
  if (m > 0) pos = occ[m]
  else if (cpos > 0) pos = cpos
  else if (found) pos = lastne
  else if (s == "DEFAULT" && firsthdr > 0) {
    ins(firsthdr, "[DEFAULT]"); pos = firsthdr
    for (j = 1; j <= nv; j++) { pos++; ins(pos, fmt(id, j, 0)) }
    ins(pos + 1, "")
    return
  } else if (s == "DEFAULT" && !other) {
    for (j = 1; j <= nv; j++) L[++n] = fmt(id, j, 0)
    return
  } else {
    if (n > 0 && trim(L[n]) != "") L[++n] = ""
    L[++n] = "[" s "]"
    for (j = 1; j <= nv; j++) L[++n] = fmt(id, j, 0)
    return
  }
  for (j = m + 1; j <= nv; j++) { pos++; ins(pos, fmt(id, j, 0)) }
}
FILENAME == ARGV[1] {
  if (substr($0, 1, 1) == "[") { cs = substr($0, 2); sub(/\][ \t]*$/, "", cs); if (cs != "DEFAULT") other = 1; next }
  if (cs == "") cs = "DEFAULT"
  p = index($0, " = ")
  if (p) { k = substr($0, 1, p - 1); v = substr($0, p + 3); b = 0 } else { k = $0; v = ""; b = 1 }
  id = cs SUBSEP k
  if (!(id in cnt)) { order[++no] = id; sec[id] = cs; key[id] = k; cnt[id] = 0 }
  dup = 0
  for (j = 1; j <= cnt[id]; j++) if (val[id, j] == v && bare[id, j] == b) dup = 1
  if (!dup) { cnt[id]++; val[id, cnt[id]] = v; bare[id, cnt[id]] = b }
  next
}
{ L[++n] = $0 }
END {
  for (o = 1; o <= no; o++) apply(order[o])
  for (i = 1; i <= n; i++) print L[i]
}
'

# --- awk: 줄 편집 ---------------------------------------------------------------
# 첫 파일: -주석 처리할 줄 / +있어야 할 줄. 둘째 파일: 현재 내용.
# KEY=VALUE 줄은 같은 KEY 의 기존 할당을 바꾸고(더 있으면 주석 처리), "지시어 값" 꼴의 줄은
# 같은 지시어의 줄이 파일에 하나뿐이고 이 단계에도 하나뿐이면 그 줄을 바꿉니다. 그 밖의 줄은
# 없을 때만 (주석 처리된 같은 줄 뒤나 끝에) 더합니다. 다른 줄은 모두 그대로 둡니다.
# shellcheck disable=SC2016 # an awk program
RB_AWK_LINES='
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function norm(s) { gsub(/[ \t]+/, " ", s); return trim(s) }
function ins(pos, text,   k) { for (k = n; k >= pos; k--) L[k + 1] = L[k]; L[pos] = text; n++ }
function active(s) { return substr(trim(s), 1, 1) != "#" }
function akey(s,   t) {
  t = trim(s); sub(/^export[ \t]+/, "", t)
  if (match(t, /^[A-Za-z_][A-Za-z0-9_.-]*[ \t]*=/)) return trim(substr(t, 1, RLENGTH - 1))
  return ""
}
function uncomment(s,   t) { t = trim(s); sub(/^#+[ \t]*/, "", t); return t }
function fword(s,   t) { t = norm(s); sub(/ .*$/, "", t); sub(/:$/, "", t); return t }
function directive(w) { return w ~ /^[A-Za-z][A-Za-z0-9_.-]*$/ }
function ensure(x,   i, k, w, m, occ, cp, j) {
  for (i = 1; i <= n; i++) if (norm(L[i]) == norm(x)) return
  k = akey(x)
  if (k != "") {
    m = 0; cp = 0
    for (i = 1; i <= n; i++) {
      if (active(L[i])) { if (akey(L[i]) == k) occ[++m] = i }
      else if (akey(uncomment(L[i])) == k) cp = i
    }
    if (m > 0) { L[occ[1]] = x; for (j = 2; j <= m; j++) L[occ[j]] = "#" L[occ[j]]; return }
    if (cp > 0) { ins(cp + 1, x); return }
    L[++n] = x
    return
  }
  if (!active(x)) { L[++n] = x; return }
  w = fword(x)
  if (directive(w) && dcnt[w] == 1) {
    m = 0
    for (i = 1; i <= n; i++) if (active(L[i]) && trim(L[i]) != "" && akey(L[i]) == "" && fword(L[i]) == w) occ[++m] = i
    if (m == 1) { L[occ[1]] = x; return }
  }
  cp = 0
  for (i = 1; i <= n; i++) if (!active(L[i]) && uncomment(L[i]) != "" && fword(uncomment(L[i])) == w) cp = i
  if (cp > 0) { ins(cp + 1, x); return }
  L[++n] = x
}
FILENAME == ARGV[1] {
  t = substr($0, 1, 1); x = substr($0, 2)
  if (t == "-") co[++nco] = x
  else if (t == "+") { en[++nen] = x; if (akey(x) == "" && active(x)) dcnt[fword(x)]++ }
  next
}
{ L[++n] = $0 }
END {
  for (c = 1; c <= nco; c++)
    for (i = 1; i <= n; i++)
      if (active(L[i]) && trim(L[i]) != "" && norm(L[i]) == norm(co[c])) L[i] = "#" L[i]
  for (e = 1; e <= nen; e++) ensure(en[e])
  for (i = 1; i <= n; i++) print L[i]
}
'

# --- 실행 --------------------------------------------------------------------

rb_show_run() { # INDEX: 시험 실행에서 명령을 보여 줍니다
  printf '%s\n' "${RB_RUN[$1]}" | sed 's/^/    $ /'
}

rb_failed() { # INDEX RC
  rb_report "$1" failed
  {
    printf '\n실패한 단계: %s %s\n' "${RB_ID[$1]}" "${RB_TITLE[$1]}"
    printf '  원문: %s\n' "${RB_SRC[$1]}"
    printf '  사이트: %s\n' "${RB_ANCHOR[$1]}"
    printf '  종료 코드: %s\n' "$2"
    if [ -s "$RB_TMP/out" ]; then
      printf '  출력(마지막 20줄):\n'
      tail -n 20 "$RB_TMP/out" | rb_mask | sed 's/^/    /'
    fi
    if [ -n "$RB_LOG" ]; then printf '  전체 기록: %s\n' "$RB_LOG"; fi
    printf '고친 다음 다시 실행하면 이 단계부터 이어서 합니다.\n'
  } >&2
  rb_log "실패: ${RB_ID[$1]} (${RB_SRC[$1]}, ${RB_ANCHOR[$1]}) 종료 코드 $2"
  rb_summary
  exit 1
}

rb_exec() { # INDEX
  local rb_i=$1 rb_k=${RB_KIND[$1]} rb_rc=0 rb_status
  rm -f -- "$RB_TMP/changed" "$RB_TMP/envdump"
  : >"$RB_TMP/out"
  if [ "$RB_CHECK" = 1 ]; then
    case $rb_k in
      command | verify)
        if [ "$rb_k" = verify ]; then rb_report "$rb_i" skipped; else rb_report "$rb_i" changed; fi
        rb_show_run "$rb_i"
        return 0
        ;;
    esac
  fi
  if [ "$rb_k" = invalid ]; then
    printf '%s\n' "${RB_RUN[rb_i]}" >"$RB_TMP/out"
    rb_failed "$rb_i" 1
  fi
  # The subshell must not be part of an && or || list: errexit would be ignored inside it.
  (
    set -e
    rb_env_begin
    eval "${RB_RUN[rb_i]}"
    rb_env_end "$RB_TMP/envdump"
  ) </dev/null >"$RB_TMP/out" 2>&1 9>&-
  rb_rc=$?
  if [ "$rb_rc" -ne 0 ]; then
    if [ "$RB_CHECK" = 1 ]; then
      rb_report "$rb_i" failed
      rb_indent "$RB_TMP/out"
      return 0
    fi
    rb_log_file "$RB_TMP/out"
    rb_failed "$rb_i" "$rb_rc"
  fi
  if [ "$RB_CHECK" = 1 ]; then
    if [ -e "$RB_TMP/changed" ]; then rb_report "$rb_i" changed; else rb_report "$rb_i" ok; fi
    rb_indent "$RB_TMP/out"
    return 0
  fi
  if rb_env_apply "$RB_TMP/envdump"; then rb_env_save; fi
  rb_state_add "$rb_i"
  case $rb_k in
    command | sql) rb_status=changed ;;
    verify) rb_status=ok ;;
    *) if [ -e "$RB_TMP/changed" ]; then rb_status=changed; else rb_status=ok; fi ;;
  esac
  rb_report "$rb_i" "$rb_status"
  rb_log_file "$RB_TMP/out"
}

rb_manual() { # INDEX
  local rb_i=$1 rb_ans=''
  if [ "$RB_CHECK" = 1 ] || [ "$RB_INTERACTIVE" = 0 ]; then
    rb_report "$rb_i" skipped
    printf '%s\n' "${RB_RUN[rb_i]}" | sed 's/^/    (수동) /'
    return 0
  fi
  printf '\n%s\n' "$(rb_c 1 "수동 단계: $(rb_label "$rb_i")")"
  printf '%s\n' "${RB_RUN[rb_i]}" | sed 's/^/    /'
  printf '  원문: %s\n  사이트: %s\n' "${RB_SRC[rb_i]}" "${RB_ANCHOR[rb_i]}"
  if [ "${RB_KIND[rb_i]}" = reboot ]; then
    rb_state_add "$rb_i"
    rb_report "$rb_i" ok
    rb_summary
    printf '재부팅한 다음 다시 실행하세요: %s\n' "$0"
    rb_log "재부팅 단계 ${RB_ID[rb_i]}: 실행을 멈춤"
    exit 0
  fi
  printf '끝냈으면 Enter, 건너뛰려면 s 를 누르세요: '
  IFS= read -r rb_ans || true
  case $rb_ans in
    s | S)
      rb_report "$rb_i" skipped
      ;;
    *)
      rb_state_add "$rb_i"
      rb_report "$rb_i" ok
      ;;
  esac
}

rb_cleanup() {
  if [ -n "$RB_TMP" ] && [ -d "$RB_TMP" ]; then rm -rf -- "$RB_TMP"; fi
}

rb_main() {
  local rb_action=run rb_phase='' rb_from='' rb_only='' rb_varsfile='' rb_i rb_started rb_args="$*"
  while [ $# -gt 0 ]; do
    case $1 in
      -h | --help)
        rb_help
        return 0
        ;;
      --list) rb_action=list ;;
      --check) RB_CHECK=1 ;;
      --yes | -y) RB_YES=1 ;;
      --force) RB_FORCE=1 ;;
      --phase | --from | --only | --vars)
        [ $# -ge 2 ] || rb_usage "$1 옵션에 값이 필요합니다"
        case $1 in
          --phase) rb_phase=$2 ;;
          --from) rb_from=$2 ;;
          --only) rb_only=$2 ;;
          --vars) rb_varsfile=$2 ;;
        esac
        shift
        ;;
      --phase=*) rb_phase=${1#*=} ;;
      --from=*) rb_from=${1#*=} ;;
      --only=*) rb_only=${1#*=} ;;
      --vars=*) rb_varsfile=${1#*=} ;;
      *) rb_usage "알 수 없는 옵션: $1" ;;
    esac
    shift
  done
  if [ -n "$rb_phase" ] && ! [[ $rb_phase =~ ^[0-9]+$ ]]; then
    rb_usage "--phase 에는 숫자를 주세요: $rb_phase"
  fi
  if [ -n "$rb_from" ] && [ -n "$rb_only" ]; then
    rb_usage "--from 과 --only 는 함께 쓸 수 없습니다"
  fi
  for rb_i in "$rb_from" "$rb_only"; do
    [ -n "$rb_i" ] || continue
    if ! printf '%s\n' "${RB_ID[@]}" | grep -qxF -- "$rb_i"; then
      rb_usage "이 노드($RB_NODE)에 ID 가 $rb_i 인 단계가 없습니다 (--list 로 확인)"
    fi
  done
  if [ -t 1 ] && [ -z "${NO_COLOR+x}" ] && [ "${TERM:-}" != dumb ]; then RB_COLOR=1; fi
  if [ -t 0 ] && [ "$RB_YES" = 0 ]; then RB_INTERACTIVE=1; fi

  RB_SEL=()
  rb_started=1
  if [ -n "$rb_from" ]; then rb_started=0; fi
  for ((rb_i = 0; rb_i < RB_N; rb_i++)); do
    if [ -n "$rb_only" ] && [ "${RB_ID[rb_i]}" != "$rb_only" ]; then continue; fi
    if [ "$rb_started" = 0 ]; then
      if [ "${RB_ID[rb_i]}" = "$rb_from" ]; then rb_started=1; else continue; fi
    fi
    if [ -n "$rb_phase" ] && [ "${RB_PHASE[rb_i]}" != "$rb_phase" ]; then continue; fi
    RB_SEL+=("$rb_i")
  done

  rb_state_load
  if [ "$rb_action" = list ]; then
    printf '%-10s %-4s %-8s %-4s %s\n' ID 묶음 종류 완료 제목
    for rb_i in "${RB_SEL[@]}"; do
      if rb_is_done "$rb_i"; then rb_started=예; else rb_started=-; fi
      printf '%-10s %-4s %-8s %-4s %s\n' "${RB_ID[rb_i]}" "${RB_PHASE[rb_i]}" "${RB_KIND[rb_i]}" \
        "$rb_started" "${RB_TITLE[rb_i]}"
    done
    return 0
  fi

  if [ -n "$rb_varsfile" ]; then rb_read_varsfile "$rb_varsfile"; fi

  if [ "$RB_CHECK" = 1 ]; then
    RB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/runbook-check.XXXXXX") || {
      rb_err "오류: 임시 디렉터리를 만들 수 없습니다"
      exit 3
    }
  else
    if ! mkdir -p -- "$RB_STATE_DIR" "$RB_LOG_DIR" 2>/dev/null || [ ! -w "$RB_STATE_DIR" ]; then
      rb_err "오류: $RB_STATE_DIR 에 쓸 수 없습니다 (root 로 실행하세요)"
      exit 3
    fi
    chmod 700 "$RB_STATE_DIR" 2>/dev/null || true
    if command -v flock >/dev/null 2>&1; then
      exec 9>>"$RB_STATE_DIR/$RB_NODE.lock"
      if ! flock -n 9; then
        rb_err "오류: 이 노드의 런북이 이미 실행 중입니다 ($RB_STATE_DIR/$RB_NODE.lock)"
        exit 3
      fi
    fi
    RB_TMP=$RB_STATE_DIR/.tmp-$RB_NODE
    rm -rf -- "$RB_TMP"
    mkdir -m 700 -- "$RB_TMP" || exit 3
    RB_LOG=$RB_LOG_DIR/$RB_NODE.log
  fi
  trap rb_cleanup EXIT

  rb_env_load
  rb_vars_resolve
  rb_preflight
  rb_masks_init
  rb_log "== $(date '+%Y-%m-%d %H:%M:%S') $RB_NODE 시작: $0 $rb_args"

  if [ ${#RB_SEL[@]} -eq 0 ]; then
    printf '이 노드(%s)에서 실행할 단계가 없습니다.\n' "$RB_NODE"
  fi
  for rb_i in "${RB_SEL[@]}"; do
    if [ "$RB_FORCE" = 0 ] && rb_is_done "$rb_i"; then
      rb_report "$rb_i" ok
      continue
    fi
    case ${RB_KIND[rb_i]} in
      manual | reboot) rb_manual "$rb_i" ;;
      *) rb_exec "$rb_i" ;;
    esac
  done
  rb_summary
  [ "$RB_CNT_FAILED" -eq 0 ]
}
