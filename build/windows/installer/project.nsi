Unicode true

####
## S-Connect's installer (NSIS, built by `make package` through `wails build -nsis`).
## Per-user: no administrator rights needed; installs into %LOCALAPPDATA%\Programs\S-Connect,
## a Start-menu shortcut and (optional) one on the desktop, starts S-Connect on the last page,
## and an uninstaller in "Apps & onderdelen" that keeps the settings and history in
## %APPDATA%\S-Connect unless the user ticks the box to remove them. Dutch, with English.
## S-Connect may be running in the tray: both close it first (a file in use cannot be replaced).
## The uninstaller also removes what the program itself registered for the user: its autostart
## value (Starten met Windows) and its registration for notifications.
####
!define REQUEST_EXECUTION_LEVEL "user"
!define INFO_PROJECTNAME "s-connect"
!define PRODUCT_EXECUTABLE "S-Connect.exe"
!define UNINST_KEY_NAME "S-Connect"
!include "wails_tools.nsh"

# The version information for this two must consist of 4 parts
VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"
VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

ManifestDPIAware true
RequestExecutionLevel user

!include "MUI2.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT_EXECUTABLE}"
!define MUI_FINISHPAGE_RUN_TEXT "$(TextRun)"
# The finish page's second box makes the (optional) desktop shortcut.
!define MUI_FINISHPAGE_SHOWREADME ""
!define MUI_FINISHPAGE_SHOWREADME_TEXT "$(TextDesktop)"
!define MUI_FINISHPAGE_SHOWREADME_FUNCTION CreateDesktopShortcut

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

# Dutch first: it is the default when Windows speaks neither.
!insertmacro MUI_LANGUAGE "Dutch"
!insertmacro MUI_LANGUAGE "English"

LangString TextRun     ${LANG_DUTCH}   "S-Connect starten"
LangString TextRun     ${LANG_ENGLISH} "Start S-Connect"
LangString TextDesktop ${LANG_DUTCH}   "Snelkoppeling op het bureaublad"
LangString TextDesktop ${LANG_ENGLISH} "Shortcut on the desktop"
LangString TextProgram ${LANG_DUTCH}   "S-Connect (programma)"
LangString TextProgram ${LANG_ENGLISH} "S-Connect (program)"
LangString TextData    ${LANG_DUTCH}   "Ook instellingen en geschiedenis verwijderen"
LangString TextData    ${LANG_ENGLISH} "Also remove settings and history"

Name "${INFO_PRODUCTNAME}"
OutFile "..\..\bin\${INFO_PROJECTNAME}-${ARCH}-installer.exe"
InstallDir "$LOCALAPPDATA\Programs\${INFO_PRODUCTNAME}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show

!define UNINST_ROOT HKCU

Function .onInit
    !insertmacro wails.checkArchitecture
FunctionEnd

# Closes S-Connect when it runs (in the tray): politely, then for good. An
# interrupted run is safe: the ledger checks SnelStart before sending again.
!macro CloseRunning
    nsExec::Exec 'taskkill /IM "${PRODUCT_EXECUTABLE}"'
    Sleep 2000
    nsExec::Exec 'taskkill /F /IM "${PRODUCT_EXECUTABLE}"'
!macroend

Function CreateDesktopShortcut
    CreateShortCut "$DESKTOP\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"
FunctionEnd

Section
    !insertmacro CloseRunning
    SetShellVarContext current
    !insertmacro wails.webview2runtime
    SetOutPath $INSTDIR
    !insertmacro wails.files
    CreateShortCut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"

    WriteUninstaller "$INSTDIR\uninstall.exe"
    WriteRegStr ${UNINST_ROOT} "${UNINST_KEY}" "Publisher" "${INFO_COMPANYNAME}"
    WriteRegStr ${UNINST_ROOT} "${UNINST_KEY}" "DisplayName" "${INFO_PRODUCTNAME}"
    WriteRegStr ${UNINST_ROOT} "${UNINST_KEY}" "DisplayVersion" "${INFO_PRODUCTVERSION}"
    WriteRegStr ${UNINST_ROOT} "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    WriteRegStr ${UNINST_ROOT} "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr ${UNINST_ROOT} "${UNINST_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
    WriteRegStr ${UNINST_ROOT} "${UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
    WriteRegDWORD ${UNINST_ROOT} "${UNINST_KEY}" "NoModify" 1
    WriteRegDWORD ${UNINST_ROOT} "${UNINST_KEY}" "NoRepair" 1
    ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
    IntFmt $0 "0x%08X" $0
    WriteRegDWORD ${UNINST_ROOT} "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "!un.$(TextProgram)" SecUnProgram
    SectionIn RO
    !insertmacro CloseRunning
    SetShellVarContext current
    RMDir /r "$AppData\${PRODUCT_EXECUTABLE}" # WebView2's cache, not the user's data
    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"
    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    Delete "$DESKTOP\${INFO_PRODUCTNAME}.lnk"
    DeleteRegKey ${UNINST_ROOT} "${UNINST_KEY}"
    # What the program registered itself (desktop/autostart, desktop/notify).
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "S-Connect"
    DeleteRegKey HKCU "Software\Classes\AppUserModelId\S-Connect"
SectionEnd

# Unticked by default: settings, history and the order ledger stay for a reinstall.
Section /o "un.$(TextData)" SecUnData
    SetShellVarContext current
    RMDir /r "$APPDATA\${INFO_PRODUCTNAME}"
SectionEnd
