# Run by `cmake --install` before anything is installed: appends to install_created_dirs.txt
# (in the build directory, BINARY_DIR) each directory under DESTDIR + prefix that cradle's
# files go into (DIRS, relative to the prefix) and that does not exist yet, with its missing
# parents, so that the uninstall target removes those directories and no others.
foreach(dir ${DIRS})
  set(path "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/${dir}")
  while(NOT EXISTS "${path}" AND NOT path STREQUAL "$ENV{DESTDIR}")
    file(APPEND "${BINARY_DIR}/install_created_dirs.txt" "${path}\n")
    get_filename_component(path "${path}" DIRECTORY)
  endwhile()
endforeach()
