<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>App</name>
    <message>
        <location filename="../../gui/app.py" line="99"/>
        <source>Something went wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/app.py" line="102"/>
        <source>The details were written to the log. The window keeps working; a run in progress goes on.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <location filename="../../gui/models.py" line="182"/>
        <source>Worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="183"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="184"/>
        <source>Current PO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="185"/>
        <location filename="../../gui/results_area.py" line="24"/>
        <source>Supplier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="186"/>
        <location filename="../../gui/results_area.py" line="25"/>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="187"/>
        <source>MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="188"/>
        <source>POs done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="189"/>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="22"/>
        <source>PO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="23"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="26"/>
        <source>E-mails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="27"/>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="28"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Destination</name>
    <message>
        <location filename="../../gui/destination.py" line="55"/>
        <source>The destination holds an unfinished run: press Resume to continue it, or choose another folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/destination.py" line="59"/>
        <source>The destination already holds a finished run: choose another folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/destination.py" line="63"/>
        <source>The destination {folder} can&apos;t be made: {why}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DropZone</name>
    <message>
        <location filename="../../gui/widgets.py" line="26"/>
        <source>Drop a PO spreadsheet here or</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="59"/>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/widgets.py" line="61"/>
        <source>Choose an .xlsx or .csv file with a PO_NUMBER column</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InputArea</name>
    <message>
        <location filename="../../gui/input_area.py" line="71"/>
        <source>1 PO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="73"/>
        <source>{n} POs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="76"/>
        <source>1 duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="78"/>
        <source>{n} duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="80"/>
        <source>{pos} ({invalid} invalid, {duplicates}, {completed} already completed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="114"/>
        <source>The worksheet that holds the POs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="120"/>
        <source>The column with the PO numbers (chosen automatically; change it if wrong)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="123"/>
        <source>Shee&amp;t:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="125"/>
        <source>P&amp;O column:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="131"/>
        <source>Show invalid rows…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="133"/>
        <source>List the rows that are not PO numbers, and why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="163"/>
        <source>Choose a PO spreadsheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="163"/>
        <source>Spreadsheets (*.xlsx *.xlsm *.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="191"/>
        <source>reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="229"/>
        <source>choose the PO column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="230"/>
        <source>Choose the spreadsheet&apos;s PO column first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="241"/>
        <source>Loaded {name}: {counts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="248"/>
        <source>The spreadsheet could not be read: see the message above the settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="250"/>
        <source>could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="257"/>
        <source>The spreadsheet is being read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="261"/>
        <source>Load a PO spreadsheet first: drop it on the window or press Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="276"/>
        <source>Row {number}: {po} — {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="281"/>
        <source>Invalid rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/input_area.py" line="285"/>
        <source>These rows are reported as INVALID and not processed:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Log</name>
    <message>
        <location filename="../../gui/log_area.py" line="42"/>
        <source>{pending} POs to do with {workers} workers, {done} already done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="44"/>
        <source>{pending} POs to do with {workers} workers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="49"/>
        <source>{done}/{found} files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="53"/>
        <source>, {n} e-mail(s) to PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="56"/>
        <source>Worker {worker}: {po} {status} ({detail}){message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="61"/>
        <source>Worker {worker}: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="65"/>
        <source>Worker {worker} restarted: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="71"/>
        <source>{po} goes back to the queue: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="75"/>
        <source>Worker {worker} is signing in ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="89"/>
        <source>The run stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="93"/>
        <source>The portal asked for a sign-in: press Sign in…, then Resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="99"/>
        <source>Cancelled: {summary}. Press Resume to continue from here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="101"/>
        <source>Finished: {done} POs in {elapsed}. Report saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LogPane</name>
    <message>
        <location filename="../../gui/log_area.py" line="126"/>
        <source>Copy dia&amp;gnostics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="129"/>
        <source>Copy the log and this setup to the clipboard, to paste into a support request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="139"/>
        <source>&amp;Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/log_area.py" line="141"/>
        <source>Show or hide the log</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gui/main_window.py" line="104"/>
        <source>folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="107"/>
        <source>report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="116"/>
        <source>PO folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="199"/>
        <source>Diagnostics copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="204"/>
        <source>The {what} does not exist yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="206"/>
        <source>The system could not open the {what}. Its path, to copy: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="214"/>
        <source>Demo portal running at {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="223"/>
        <source>A browser window is opening: sign in there. It closes by itself when you are in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="230"/>
        <source>Signed in. The workers will reuse this session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="234"/>
        <source>Sign-in was not completed (the browser was closed or it took too long).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="250"/>
        <source>Drop a PO spreadsheet on the window (or press Browse…) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="265"/>
        <source>Checking the session on {url}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="280"/>
        <source>Not started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="285"/>
        <source>The portal needs you to sign in before the run can start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="286"/>
        <location filename="../../gui/main_window.py" line="288"/>
        <source>Sign in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="288"/>
        <source>Open a browser to sign in now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="293"/>
        <source>Not started: sign in first (Sign in…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="299"/>
        <source>Run resumed: {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="299"/>
        <source>Run started: {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="311"/>
        <source>Cancelling: workers finish their current file, then stop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="313"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="367"/>
        <source>A run is in progress: Cancel stops it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="412"/>
        <source>A run is in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="413"/>
        <source>Cancel the run and close? Finished POs are kept; you can Resume later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="420"/>
        <source>Stopping the workers; the window closes when they are gone…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemoryMeter</name>
    <message>
        <location filename="../../gui/run_area.py" line="36"/>
        <source>Memory: {gb:.2f} GB (system {used:.0f}% used)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../gui/notify.py" line="25"/>
        <source>Sign in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/notify.py" line="25"/>
        <source>Run finished</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverallProgress</name>
    <message>
        <location filename="../../gui/run_area.py" line="145"/>
        <source>POs finished of the POs in this run&apos;s folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="175"/>
        <source>{rate} POs/min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="176"/>
        <source>elapsed {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="179"/>
        <source>ETA {time}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <location filename="../../gui/results_area.py" line="98"/>
        <source>{n} to PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="113"/>
        <source>Double-click to open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="117"/>
        <source>{emails} saved e-mail(s) converted to PDF, {files} file(s) extracted from them</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsPane</name>
    <message>
        <location filename="../../gui/results_area.py" line="178"/>
        <source>Show the POs of one status only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="179"/>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="186"/>
        <source>Show:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/results_area.py" line="188"/>
        <source>&lt;b&gt;Results&lt;/b&gt; (double-click a row to open its folder)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunButtons</name>
    <message>
        <location filename="../../gui/run_area.py" line="42"/>
        <location filename="../../gui/run_area.py" line="74"/>
        <location filename="../../gui/run_area.py" line="107"/>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="43"/>
        <source>Checking sign-in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="44"/>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="45"/>
        <source>Running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="60"/>
        <source>Try with d&amp;emo data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="61"/>
        <source>Start a built-in Coupa-like portal and load its sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="65"/>
        <source>Sig&amp;n in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="66"/>
        <source>Open a visible browser on the portal to complete single sign-on once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="70"/>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="70"/>
        <source>Delete the saved portal session: the next run signs in again (e.g. on a shared computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="70"/>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="71"/>
        <source>Continue the unfinished run in the destination (finished POs are skipped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="74"/>
        <location filename="../../gui/run_area.py" line="114"/>
        <source>Start the run (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="79"/>
        <location filename="../../gui/run_area.py" line="82"/>
        <location filename="../../gui/run_area.py" line="108"/>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="80"/>
        <source>Stop the run: workers finish their current file, then stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="82"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="84"/>
        <source>Open &amp;folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="84"/>
        <source>Open the run&apos;s folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="87"/>
        <source>Open re&amp;port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="87"/>
        <source>Open the run&apos;s report (Excel)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunStats</name>
    <message>
        <location filename="../../gui/bridge.py" line="202"/>
        <source>{done} of {total} done, {cancelled} cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/bridge.py" line="204"/>
        <source>{done} of {total} done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <location filename="../../gui/panels.py" line="49"/>
        <source>Make a PDF and extract their attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="50"/>
        <source>Make a PDF only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="51"/>
        <source>Leave them as they are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="72"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="75"/>
        <source>Folder for this run&apos;s files and report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="77"/>
        <source>Where this run&apos;s PO folders and report go. Left as it is, every run gets a new dated folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="81"/>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="82"/>
        <location filename="../../gui/panels.py" line="321"/>
        <source>Choose the run folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="87"/>
        <source>Parallel browsers. Each needs about 450 MB of memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="88"/>
        <source>&amp;Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="89"/>
        <source>Choose from free memory and CPUs, never more than the POs to do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="93"/>
        <source>Files each worker downloads at the same time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="96"/>
        <source>The browser the workers drive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="102"/>
        <source>{browser} (not found)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="105"/>
        <source>&amp;Hide browsers (headless)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="106"/>
        <source>Untick to watch the browsers work, or when your sign-in needs you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="108"/>
        <source>https://yourcompany.coupahost.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="109"/>
        <source>Your Coupa portal&apos;s address, as in the browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="112"/>
        <source>Where a PO&apos;s page is: {base} is the portal URL, {po} the PO number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="113"/>
        <source>Take files from the requisition when a PO has none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="114"/>
        <source>A PO without attachments gets its requisition&apos;s files instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="115"/>
        <source>Redo rows already marked COMPLETED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="116"/>
        <source>Rows whose STATUS column already says COMPLETED are done again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="122"/>
        <source>Saved Outlook (.msg) and .eml e-mails get a PDF beside them that anyone can open; their attachments can be taken out into a folder of their own. The original is always kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="129"/>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="130"/>
        <source>Process at most this many POs (useful for a trial run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="132"/>
        <source>Found automatically (Selenium Manager)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="134"/>
        <source>msedgedriver / chromedriver to use; leave empty to have it found or fetched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="137"/>
        <source>The installed browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="139"/>
        <source>The browser program to start, when it is not where the browser installs it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="144"/>
        <source>Workers start from a copy of this browser profile (its sign-in and certificates); the profile itself is never changed, so the browser may stay open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="152"/>
        <source>The window&apos;s language; it changes the next time the window opens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="153"/>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="168"/>
        <source>&amp;Destination:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="170"/>
        <source>Portal &amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="177"/>
        <source>Wor&amp;kers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="179"/>
        <source>Downloads per worker:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="184"/>
        <source>Bro&amp;wser:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="192"/>
        <source>PO page URL template:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="195"/>
        <source>E-mail e&amp;xport (.msg, .eml):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="199"/>
        <source>Li&amp;mit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="200"/>
        <source>Dr&amp;iver:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="202"/>
        <source>Browser program:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="205"/>
        <source>Start from a cop&amp;y of my browser profile:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="206"/>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="207"/>
        <source>Ad&amp;vanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="207"/>
        <source>Show or hide the advanced settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="246"/>
        <source>Enter the portal URL (e.g. https://yourcompany.coupahost.com) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="249"/>
        <source>Choose a destination folder first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="275"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="278"/>
        <source>Other folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="285"/>
        <source>Choose a browser&apos;s user data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="292"/>
        <source>Choose the browser driver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="297"/>
        <source>Choose the browser program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/panels.py" line="338"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../gui/models.py" line="77"/>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="78"/>
        <source>Partial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="79"/>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="80"/>
        <source>No attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="81"/>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="82"/>
        <source>No access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="83"/>
        <source>Invalid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="84"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkerState</name>
    <message>
        <location filename="../../gui/models.py" line="63"/>
        <source>starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="64"/>
        <source>signing in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="65"/>
        <source>working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="66"/>
        <source>idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="67"/>
        <source>restarting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="68"/>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/models.py" line="69"/>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkersModel</name>
    <message>
        <location filename="../../gui/models.py" line="309"/>
        <source>Reading the PO&apos;s page</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkersPane</name>
    <message>
        <location filename="../../gui/run_area.py" line="191"/>
        <source>One row per worker (a browser): what it is doing now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../gui/run_area.py" line="198"/>
        <source>&lt;b&gt;Workers&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
