# Install layout and the Debian package. Included from CMakeLists.txt after the permdoctor
# target; kept in its own file so packaging changes stay out of the build definition.
#
#   cmake --install build --prefix /usr/local      binary, man pages, completions, docs
#   cd build && cpack -G DEB                       permdoctor_<version>_<arch>.deb
#
# The man pages and completions are written by the built binary (`permdoctor generate`, hidden
# from --help) from its own CLI11 definition and the embedded rule docs, so they cannot drift.
include(GNUInstallDirs)
install(TARGETS permdoctor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(PD_GEN_SHARE ${CMAKE_BINARY_DIR}/generated/share)
set(PD_GEN_OUTPUTS)
# pd_generate(WHAT FILE [gzip]): FILE is written by `permdoctor generate WHAT`.
function(pd_generate what file)
  set(out ${PD_GEN_SHARE}/${file})
  set(cmds COMMAND permdoctor generate ${what} --output ${out})
  set(outs ${out})
  if(ARGN STREQUAL "gzip")
    # Man pages ship compressed as Debian policy asks; -n keeps the bytes reproducible.
    list(APPEND cmds COMMAND gzip -9nkf ${out})
    list(APPEND outs ${out}.gz)
  endif()
  add_custom_command(OUTPUT ${outs} ${cmds} DEPENDS permdoctor
                     COMMENT "Generating ${file}" VERBATIM)
  set(PD_GEN_OUTPUTS ${PD_GEN_OUTPUTS} ${outs} PARENT_SCOPE)
endfunction()
file(MAKE_DIRECTORY ${PD_GEN_SHARE})
pd_generate(man permdoctor.1 gzip)
pd_generate(man-rules permdoctor-rules.7 gzip)
pd_generate(bash permdoctor.bash)
pd_generate(zsh _permdoctor)
pd_generate(fish permdoctor.fish)
add_custom_target(permdoctor_docs ALL DEPENDS ${PD_GEN_OUTPUTS})

install(FILES ${PD_GEN_SHARE}/permdoctor.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PD_GEN_SHARE}/permdoctor-rules.7.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man7)
# The directories bash-completion, zsh (Debian's vendor path) and fish load from on their own.
install(FILES ${PD_GEN_SHARE}/permdoctor.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME permdoctor)
install(FILES ${PD_GEN_SHARE}/_permdoctor DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${PD_GEN_SHARE}/permdoctor.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/report.schema.json
              ${CMAKE_SOURCE_DIR}/docs/inspect.schema.json DESTINATION ${CMAKE_INSTALL_DOCDIR})
if(EXISTS ${CMAKE_SOURCE_DIR}/LICENSE)
  install(FILES ${CMAKE_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()

# ---- CPack: the Debian package ----------------------------------------------------------------
set(PD_DEB_MAINTAINER "permdoctor maintainers <maintainers@users.noreply.r-seed-8e5a82b2.example>"
    CACHE STRING "Maintainer field of the .deb")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME permdoctor)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${PD_DEB_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "container image linter: will the runtime user be able to start it?")
# CPack puts the summary on the Description line; this is the extended description below it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "permdoctor reads a container image archive (docker save, podman save,
OCI archive or layout directory, kaniko tarball, or a stream on stdin)
without a daemon, applies the layers in memory as the runtime does, and
reports what the user that really runs the container cannot read,
execute or traverse, with the layer and Dockerfile instruction that
caused it and a fix. Output formats: text, JSON, SARIF, JUnit, Markdown
and GitLab code quality.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # permdoctor_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from the binary's real libraries (dpkg-shlibdeps, from dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The build is RelWithDebInfo (~65 MB of debug info); the package ships the stripped binary.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_PACKAGE_CHECKSUM SHA256)
include(CPack)
