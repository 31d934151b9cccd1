package io.segstream.app;

import io.segstream.runtime.Setting;
import java.util.List;

/**
 * A command or an option mixin that takes settings: {@link Main#commandLine} gives its command an
 * option for each (help from the setting, the default from the environment or the setting), and it
 * reads them back through {@link SettingValues}.
 */
interface TakesSettings {

    List<Setting<?>> settings();
}
