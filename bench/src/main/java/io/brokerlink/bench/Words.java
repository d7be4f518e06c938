package io.brokerlink.bench;

import java.util.ArrayList;
import java.util.List;

/** Splits a line into words the way a shell does for plain and double-quoted words (no escapes, no variables). */
final class Words {

    private Words() {
    }

    static List<String> split(String text, String where) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                if (word == null) {
                    word = new StringBuilder();
                }
            } else if (Character.isWhitespace(c) && !quoted) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(c);
            }
        }
        if (quoted) {
            throw new BenchException(where + ": a double quote is not closed");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
