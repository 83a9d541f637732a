package io.kubescrape.route;

/** A port as written in a scrape URL or annotation: a number, or a container port name to resolve. */
public record PortRef(int number, String name) {

    public PortRef {
        if (name == null && !KubeNames.isPortNumber(number)) {
            throw new IllegalArgumentException("port " + number + " is outside 1-65535");
        }
        if (name != null && !KubeNames.isPortName(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a valid port name");
        }
    }

    public static PortRef of(int number) {
        return new PortRef(number, null);
    }

    public static PortRef named(String name) {
        return new PortRef(0, name);
    }

    /** Parses a number (digits only, no sign or leading zero) or a port name; throws with the reason. */
    public static PortRef parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty port");
        }
        if (Character.isDigit(text.charAt(0))) {
            if (text.length() > 5 || text.charAt(0) == '0' || !digits(text)) {
                throw new IllegalArgumentException("port \"" + text + "\" must be a number 1-65535 or a port name");
            }
            return of(Integer.parseInt(text));
        }
        return named(text);
    }

    private static boolean digits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    public boolean isNamed() {
        return name != null;
    }

    @Override
    public String toString() {
        return isNamed() ? name : Integer.toString(number);
    }
}
