; 绩效自评助手 Windows installer (NSIS, Modern UI 2, Simplified Chinese).
; makensis /DBUNDLE=<PyInstaller folder> /DOUTDIR=<where the installer goes> jxzp.nsi
; Per-user install (no administrator rights needed): the program goes to
; %LOCALAPPDATA%\Programs\绩效自评助手; documents and settings stay in the user's folders and
; are never touched by the uninstaller.
!ifdef TARGET  ; e.g. amd64-unicode: Debian's nsis has those stubs, the NSIS download for Windows only x86
  Target ${TARGET}
!else
  Unicode true
!endif
!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifndef BUNDLE
  !error "pass /DBUNDLE=path\to\jixiao-ziping (the PyInstaller folder)"
!endif
!ifndef OUTDIR
  !define OUTDIR "."
!endif
!define APPNAME "绩效自评助手"
!define APPID "jixiao-ziping"
!ifndef VERSION  ; build.py passes it; otherwise read from the one place it is written
  !searchparse /file "../../core/__init__.py" '__version__ = "' VERSION '"'
!endif
!define EXE "jixiao-ziping.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"

Name "${APPNAME}"
OutFile "${OUTDIR}\${APPNAME}-安装程序.exe"
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "Software\${APPID}" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${APPNAME}"

!define MUI_ICON "${BUNDLE}\_internal\resources\icon.ico"
!define MUI_UNICON "${BUNDLE}\_internal\resources\icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "启动${APPNAME}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Section "${APPNAME}" Main
  SectionIn RO
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\卸载${APPNAME}.exe"
  ; Start menu and desktop shortcuts
  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\${EXE}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk" "$INSTDIR\卸载${APPNAME}.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXE}"
  ; .jxzp documents open with the program on double-click (per user)
  WriteRegStr HKCU "Software\Classes\.jxzp" "" "${APPID}.document"
  WriteRegStr HKCU "Software\Classes\${APPID}.document" "" "绩效自评文档"
  WriteRegStr HKCU "Software\Classes\${APPID}.document\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\${APPID}.document\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ; Programs and Features entry
  WriteRegStr HKCU "Software\${APPID}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\卸载${APPNAME}.exe"'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  ; Only the program: the user's documents (文档\绩效自评) and settings are left alone.
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APPNAME}"
  DeleteRegKey HKCU "Software\Classes\${APPID}.document"
  ReadRegStr $0 HKCU "Software\Classes\.jxzp" ""
  StrCmp $0 "${APPID}.document" 0 +2
    DeleteRegKey HKCU "Software\Classes\.jxzp"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\${APPID}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  RMDir /r "$INSTDIR"
SectionEnd
