# The uninstall target: removes every file the last `cmake --install` of this build
# directory installed (install_manifest.txt, under the same DESTDIR), then the directories that
# install created for them (install_created_dirs.txt, cmake/install_dirs.cmake), deepest
# first and only when empty: nothing of cradle is left, and nothing else is touched.
set(manifest "${BINARY_DIR}/install_manifest.txt")
if(NOT EXISTS "${manifest}")
  message(FATAL_ERROR "no ${manifest}: nothing was installed from this build directory")
endif()
file(STRINGS "${manifest}" files)
foreach(file ${files})
  set(file "$ENV{DESTDIR}${file}")
  if(EXISTS "${file}" OR IS_SYMLINK "${file}")
    message(STATUS "Removing ${file}")
    file(REMOVE "${file}")
  endif()
endforeach()
set(created "${BINARY_DIR}/install_created_dirs.txt")
if(EXISTS "${created}")
  file(STRINGS "${created}" dirs)
  list(REMOVE_DUPLICATES dirs)
  list(SORT dirs)
  list(REVERSE dirs) # a directory after everything below it
  foreach(dir ${dirs})
    file(GLOB entries "${dir}/*" "${dir}/.*")
    if(IS_DIRECTORY "${dir}" AND NOT entries)
      message(STATUS "Removing ${dir}/")
      file(REMOVE_RECURSE "${dir}") # empty, checked above
    endif()
  endforeach()
  file(REMOVE "${created}")
endif()
