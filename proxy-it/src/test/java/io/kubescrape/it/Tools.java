package io.kubescrape.it;

import java.io.File;

/** Real programs the end-to-end tests drive, found on the PATH; their absence is said loudly. */
final class Tools {
    private Tools() {
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, program).canExecute()) {
                return true;
            }
        }
        return false;
    }

    static String missing(String program, String debianPackage) {
        String msg = "!!! SKIPPED: '" + program + "' is not installed; .ci/run installs Debian's " + debianPackage
                + " (apt-get install " + debianPackage + ") !!!";
        System.err.println(msg);
        return msg;
    }
}
