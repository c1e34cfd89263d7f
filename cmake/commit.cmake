# Writes OUT (commit.h) with CRADLE_COMMIT: `git describe` of SRC when SRC is the top of a git
# checkout, else FALLBACK (the package version: a tarball or a Debian source package has no
# .git). Runs at every build; the file is rewritten only when the value changes, so a new
# commit relinks cradle and nothing else.
execute_process(COMMAND git -C "${SRC}" rev-parse --show-toplevel
                OUTPUT_VARIABLE toplevel OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                RESULT_VARIABLE not_git)
set(commit "${FALLBACK}")
if(NOT not_git)
  get_filename_component(toplevel "${toplevel}" REALPATH)
  get_filename_component(src "${SRC}" REALPATH)
  if(toplevel STREQUAL src)
    execute_process(COMMAND git -C "${SRC}" describe --dirty --long --always
                    OUTPUT_VARIABLE described OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                    RESULT_VARIABLE failed)
    if(NOT failed AND described)
      set(commit "${described}")
    endif()
  endif()
endif()
set(content "#define CRADLE_COMMIT \"${commit}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT content STREQUAL old)
  file(WRITE "${OUT}" "${content}")
endif()
