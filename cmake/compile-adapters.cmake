# Install-time step (CMakeLists.txt's install(SCRIPT)): byte-compile the
# installed Python adapters for each Python 3 found, so that no Python
# process under `ftrace run` compiles ftrace's sitecustomize and
# ftrace_pysite again at each start where the install directory is not
# writable (docs/selection.md, "Import-system listings").
#
# In: FT_ADAPTERS_DIR (relative to the prefix, or absolute) and
# FT_CONFIGURED_PYTHON (the Python CMake found), set by install(CODE).
# The Pythons: that one, then python3 and python3.6 ... python3.20 on PATH
# at install time, each real interpreter once.  A Python that cannot
# compile a file (older syntax) leaves that file to be compiled at run
# time as before: never an install failure.
set(_dir "${FT_ADAPTERS_DIR}")
if(NOT IS_ABSOLUTE "${_dir}")
  set(_dir "${CMAKE_INSTALL_PREFIX}/${_dir}")
endif()
set(_shown "${_dir}")
set(_dir "$ENV{DESTDIR}${_dir}")
if(NOT IS_DIRECTORY "${_dir}")
  return()
endif()

set(_candidates "${FT_CONFIGURED_PYTHON}")
set(_names python3)
foreach(_minor RANGE 6 20)
  list(APPEND _names "python3.${_minor}")
endforeach()
foreach(_name IN LISTS _names)
  unset(_found CACHE)
  unset(_found)
  find_program(_found NAMES "${_name}" NO_CACHE)
  if(_found)
    list(APPEND _candidates "${_found}")
  endif()
endforeach()

set(_seen "")
foreach(_py IN LISTS _candidates)
  if(NOT _py OR NOT EXISTS "${_py}")
    continue()
  endif()
  # pyenv shims and venv links: one compile per real interpreter
  execute_process(COMMAND "${_py}" -c "import sys; print(sys.implementation.cache_tag or '')"
                  OUTPUT_VARIABLE _tag OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _rc ERROR_QUIET)
  if(NOT _rc EQUAL 0 OR _tag STREQUAL "" OR NOT _tag MATCHES "^[a-z]+-3")
    continue()
  endif()
  list(FIND _seen "${_tag}" _at)
  if(NOT _at EQUAL -1)
    continue()
  endif()
  list(APPEND _seen "${_tag}")
  execute_process(COMMAND "${_py}" -m compileall -q -d "${_shown}" "${_dir}"
                  RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
  message(STATUS "Byte-compiled the adapters for ${_tag} (${_py})")
endforeach()
