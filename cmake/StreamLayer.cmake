# stream_layer(<name> [DEPS <targets>...])
# One static library per layer: every .cc under src/<name>/ (tests, fuzzers and main
# files excluded), linked to the layers and libraries it may use.
function(stream_layer name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  list(FILTER sources EXCLUDE REGEX "(_test|_fuzz|/main)\\.cc$")
  if(NOT sources)
    # A layer with no code yet is a header-less interface, so its dependents still link.
    add_library(stream_${name} INTERFACE)
    target_include_directories(stream_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(stream_${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(stream_${name} STATIC ${sources})
  target_include_directories(stream_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(stream_${name} PUBLIC ${ARG_DEPS})
endfunction()

# stream_layer_test(<layer> [DEPS <targets>...])
# One test binary per layer from every tests/<layer>/*_test.cc.
function(stream_layer_test layer)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${layer}/*_test.cc)
  if(NOT sources)
    return()
  endif()
  add_executable(${layer}_test ${sources})
  target_link_libraries(${layer}_test PRIVATE stream_${layer} stream_test_support ${ARG_DEPS}
    GTest::gtest GTest::gmock GTest::gtest_main)
  add_test(NAME ${layer} COMMAND ${layer}_test --gtest_brief=1)
  set_tests_properties(${layer} PROPERTIES ENVIRONMENT "STREAM_BIN=${CMAKE_BINARY_DIR}/bin/stream")
endfunction()
