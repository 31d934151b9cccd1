package io.segstream.app;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An option's regular expression (camera ids), refused with the reason when it does not compile. */
final class RegexConverter implements ITypeConverter<Pattern> {

    @Override
    public Pattern convert(String value) {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new TypeConversionException("not a regular expression: " + e.getDescription());
        }
    }
}
